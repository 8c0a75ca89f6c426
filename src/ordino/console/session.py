"""Who uses the console: signed in with an API key or a user's password. The session
lives on the server (access's `ConsoleSessions`, which the app puts in its state as
`sessions`); the signed cookie (Starlette's
SessionMiddleware: itsdangerous) carries its token, who it is, and a CSRF token
every form sends back (a form from elsewhere cannot act for them)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import asdict, dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.datastructures import FormData

from ordino.kernel.domain.idempotency import IdempotencyKey
from ordino.kernel.domain.roles import ApiKey, Permission, Role, allows

SESSION_HOURS = 8  # a working day
SESSION_SECONDS = SESSION_HOURS * 3600


@dataclass(frozen=True)
class Principal:
    """The signed-in person: their access (a key's or a user's) and how the
    timeline names them (`key:<id>` or `user:<name>`)."""

    id: str
    role: Role
    name: str | None
    actor: str
    channel: str | None = None
    location_id: str | None = None

    @classmethod
    def of(cls, access: ApiKey, actor: str) -> Principal:
        return cls(access.id, access.role, access.name, actor, access.channel, access.location_id)

    @property
    def access(self) -> ApiKey:
        return ApiKey(self.id, self.role, self.name, self.channel, self.location_id)

    def may(self, permission: Permission) -> bool:
        return allows(self.role, permission)


class SignInNeeded(Exception):
    """No one is signed in: the page sends them to sign in."""


class NotAllowed(Exception):
    """Signed in, but their role may not do this."""


class BadForm(Exception):
    """The form's CSRF token is missing or not this session's: nothing is done."""


def sign_in(request: Request, principal: Principal) -> None:
    """A new session on the server, and a new cookie for it (never the old one's)."""
    state = request.app.state
    user = principal.actor.startswith("user:")
    token = state.sessions.start(principal.access, user, SESSION_HOURS)
    request.session.clear()
    request.session["principal"] = {**asdict(principal), "role": str(principal.role)}
    request.session["session"] = token
    request.session["csrf"] = secrets.token_urlsafe(32)


def sign_out(request: Request) -> None:
    """The session ends on the server: a copy of the cookie opens nothing after."""
    token = request.session.get("session")
    if isinstance(token, str):
        request.app.state.sessions.end(token)
    request.session.clear()


def principal(request: Request) -> Principal:
    """Who is signed in, while their session is open on the server: not signed out
    or ended by an admin, within its 8 hours from signing in (however often the
    cookie is written again since), their user not disabled or key not revoked."""
    stored: dict[str, Any] | None = request.session.get("principal")
    token = request.session.get("session")
    if stored is None:
        raise SignInNeeded  # (the session may hold a customer's form token: kept)
    if not isinstance(token, str):
        request.session.clear()
        raise SignInNeeded
    who = Principal(**{**stored, "role": Role(stored["role"])})
    if not request.app.state.sessions.holds(token, who.access):
        request.session.clear()
        raise SignInNeeded
    return who


def allowed(request: Request, permission: Permission) -> Principal:
    who = principal(request)
    if not who.may(permission):
        raise NotAllowed(f"the role {who.role} may not {permission}")
    return who


def csrf_token(request: Request) -> str:
    token: str | None = request.session.get("csrf")
    if token is None:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


async def posted(request: Request) -> FormData:
    """The form posted, its CSRF token checked before the route does anything."""
    form = await request.form()
    check_form(request, form)
    return form


# A route's form (FastAPI runs the check in the event loop, the route itself in a
# thread: a database call or a password hash never holds up other requests).
Posted = Annotated[FormData, Depends(posted)]
# A route that reads nothing of its form checks it all the same.
CHECKED = Depends(posted)


def check_form(request: Request, form: Any) -> None:
    """Refuse a form whose token is not this session's (before anything is done)."""
    sent = form.get("csrf")
    expected = request.session.get("csrf")
    if not isinstance(sent, str) or expected is None:
        raise BadForm
    if not hmac.compare_digest(sent.encode(), str(expected).encode()):
        raise BadForm


def once_token() -> str:
    """For a form that must act once (a receipt, a refund): a key drawn with the page,
    sent back in its `once` field (`done_once`)."""
    return secrets.token_urlsafe(16)


def done_once(sender: str, form: Any, path: str) -> IdempotencyKey | None:
    """The form's `once` key as an Idempotency-Key of its `sender` (the signed-in
    person's access id; "customer" for a customer's page, whose use case keeps it
    per order): the same form sent twice (a double click, back and send again) is
    answered as the first time, not done again; the key with other fields is
    refused. None without one."""
    key = str(form.get("once") or "")[:200]
    if not key:
        return None
    fields = sorted((k, str(v)) for k, v in form.multi_items() if k not in ("csrf", "once"))
    fingerprint = hashlib.sha256(repr((path, fields)).encode()).hexdigest()
    return IdempotencyKey(sender, key, fingerprint)
