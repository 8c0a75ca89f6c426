"""Who is calling: `Authorization: Bearer <key>` checked against the stored keys.

A key found is remembered per process, so the hot path does not ask the database
each time. Revoking a key is a change every process hears (the change feed: the
revoking process at its commit, the others by PostgreSQL's NOTIFY or SQLite's
poll), and each forgets every key it remembered then; `CACHE_SECONDS` only bounds
how long a key is remembered should a process ever miss that.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param

from ordino.kernel.domain.changes import Change
from ordino.kernel.domain.errors import Forbidden, Unauthenticated
from ordino.kernel.domain.roles import ApiKey, Permission, allows, hash_key

CACHE_SECONDS = 60.0
KEY_STATE = "ordino_api_key"  # where the request guard leaves the key it found
# The API's paths that take no key: the customer's link is their key.
PUBLIC_PATHS = ("/v1/self-service/",)

_bearer = HTTPBearer(auto_error=False, description="An Ordino API key")


class KeyCache:
    def __init__(self) -> None:
        self._found: dict[str, tuple[ApiKey, float]] = {}
        # Counts the revocations heard: a key read from the database before one is
        # not remembered after it (it may be the key revoked).
        self.heard_revocations = 0

    def get(self, key_hash: str) -> ApiKey | None:
        entry = self._found.get(key_hash)
        if entry is None or entry[1] < time.monotonic():
            return None
        return entry[0]

    def put(self, key_hash: str, key: ApiKey, read_after: int) -> None:
        """Remember a key read while `read_after` revocations had been heard."""
        if read_after != self.heard_revocations:
            return
        if len(self._found) > 10_000:
            self._found = {}
        self._found[key_hash] = (key, time.monotonic() + CACHE_SECONDS)

    def heard(self, change: Change) -> None:
        """A key was revoked somewhere (or the feed lost track): forget them all."""
        if change.access or change.everything:
            self.heard_revocations += 1
            self._found = {}


async def caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> ApiKey:
    """The caller's key: the one the request guard found before reading the body
    (`ordino.http.request_guard`), else found here."""
    found: ApiKey | None = request.scope.get("state", {}).get(KEY_STATE)
    if found is not None:
        return found
    bearer = credentials if credentials and credentials.scheme.lower() == "bearer" else None
    return await key_of(request.app.state, bearer.credentials if bearer else None)


async def key_of(state: Any, secret: str | None) -> ApiKey:
    """The stored key `secret` is, or Unauthenticated. Async, so a cached key costs no
    trip to the thread pool. The app gives the way to find a key
    (`state.authenticate`: access's, over a unit of work of its own)."""
    if secret is None:
        raise Unauthenticated("send an API key as `Authorization: Bearer <key>`")
    key_hash = hash_key(secret)
    found = state.key_cache.get(key_hash)
    if found is None:
        read_after = state.key_cache.heard_revocations
        found = await run_in_threadpool(state.authenticate, secret)
        if found is None:
            raise Unauthenticated("the API key is not valid")
        state.key_cache.put(key_hash, found, read_after)
    return found  # type: ignore[no-any-return]


def bearer_secret(authorization: str | None) -> str | None:
    """The key an `Authorization: Bearer <key>` header carries (None: no such header)."""
    scheme, secret = get_authorization_scheme_param(authorization)
    return secret if scheme.lower() == "bearer" and secret else None


def require(permission: Permission) -> Callable[[ApiKey], Awaitable[ApiKey]]:
    async def guard(key: Annotated[ApiKey, Depends(caller)]) -> ApiKey:
        if not allows(key.role, permission):
            raise Forbidden(
                f"the role {key.role} may not {permission}",
                extra={"role": str(key.role), "permission": str(permission)},
            )
        return key

    return guard
