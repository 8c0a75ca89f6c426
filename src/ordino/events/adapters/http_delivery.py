"""Posting a webhook's body over HTTP (the standard library's client), to public
receivers only.

The receiver's name is resolved here, every address it resolves to is checked
(`ordino.events.domain.webhooks.refusal`: no loopback, private, link-local or metadata
address, unless allowed), and the connection goes to the address checked: a name
that resolves elsewhere a moment later (DNS rebinding) changes nothing. Redirects
are not followed (a 3xx is not accepted), so they cannot lead inside either.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from urllib.parse import urlsplit

from ordino.events.domain.webhooks import refusal
from ordino.kernel.domain import InvalidInput

Address = tuple[int, tuple[str, int]]  # a socket family and (host, port)


class RefusedReceiver(OSError):
    """The receiver is on an address webhooks may not go to."""


def post_json(
    url: str, body: str, headers: dict[str, str], timeout: float, *, allow_private: bool = False
) -> int:
    """POST `body` as JSON; the status the receiver answered (an error status too).
    Raises OSError when there was no answer (refused, timed out, unknown host, or an
    address webhooks may not go to: RefusedReceiver)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedReceiver(f"not an http or https URL: {url}")
    tls = parts.scheme == "https"
    port = parts.port or (443 if tls else 80)
    address = _checked(parts.hostname, port, allow_private)
    connection = _Pinned(parts.hostname, port, address, timeout, tls)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {"Content-Type": "application/json", **headers}
    try:
        connection.request("POST", path, body=body.encode(), headers=headers)
        return int(connection.getresponse().status)
    except http.client.HTTPException as error:
        raise OSError(f"{type(error).__name__}: {error}") from error
    finally:
        connection.close()


def refuse_private(url: str, allow_private: bool) -> None:
    """At subscription: InvalidInput (the field `url`) if its host is, or resolves to,
    an address webhooks may not go to. A name that does not resolve yet passes: it
    is checked again at every delivery."""
    host = urlsplit(url).hostname
    if allow_private or not host:
        return
    try:
        _checked(host, 80, allow_private=False)
    except RefusedReceiver as error:
        raise InvalidInput.of("url", str(error)) from None
    except OSError:
        return


def _checked(host: str, port: int, allow_private: bool) -> Address:
    """The first address `host` resolves to, once every one of them passed."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [(family, (str(info[0]), int(info[1]))) for family, _, _, _, info in found]
    if not allow_private:
        for _, (ip, _) in addresses:
            if (why := refusal(ip.split("%")[0])) is not None:
                raise RefusedReceiver(why)
    return addresses[0]


class _Pinned(http.client.HTTPConnection):
    """A connection to the address checked, speaking to `host` (Host header, TLS
    name and certificate check)."""

    def __init__(self, host: str, port: int, address: Address, timeout: float, tls: bool):
        super().__init__(host, port, timeout=timeout)
        self._address = address
        self._tls = tls

    def connect(self) -> None:
        family, where = self._address
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(where)
        except OSError:
            sock.close()
            raise
        if self._tls:
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=self.host)
        self.sock = sock
