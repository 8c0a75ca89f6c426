"""Posting a webhook's body over HTTP (the standard library's client)."""

from __future__ import annotations

import urllib.error
import urllib.request


def post_json(url: str, body: str, headers: dict[str, str], timeout: float) -> int:
    """POST `body` as JSON; the status the receiver answered (an error status too).
    Raises OSError when there was no answer (refused, timed out, unknown host)."""
    request = urllib.request.Request(  # noqa: S310 (the URL is the subscriber's, http or https)
        url,
        data=body.encode(),
        headers={"Content-Type": "application/json", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
