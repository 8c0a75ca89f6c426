"""Who uses the console: signed in with an API key or a user's password, kept in a
signed session cookie (Starlette's SessionMiddleware: itsdangerous), with a CSRF
token every form sends back (a form from elsewhere cannot act for them)."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.datastructures import FormData

from ordino.domain.access import ApiKey, Permission, Role, allows
from ordino.domain.orders import OrderScope
from ordino.services import access

SESSION_SECONDS = 8 * 3600  # a working day


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

    @property
    def orders(self) -> OrderScope:
        """The orders they may see, and their name on what they change."""
        return replace(self.access.orders, actor=self.actor)

    def may(self, permission: Permission) -> bool:
        return allows(self.role, permission)


class SignInNeeded(Exception):
    """No one is signed in: the page sends them to sign in."""


class NotAllowed(Exception):
    """Signed in, but their role may not do this."""


class BadForm(Exception):
    """The form's CSRF token is missing or not this session's: nothing is done."""


def sign_in(request: Request, principal: Principal) -> None:
    request.session.clear()  # a new session for the new person
    request.session["principal"] = {**asdict(principal), "role": str(principal.role)}
    request.session["signed_in_at"] = request.app.state.clock().isoformat()
    request.session["csrf"] = secrets.token_urlsafe(32)


def sign_out(request: Request) -> None:
    request.session.clear()


def principal(request: Request) -> Principal:
    """Who is signed in: within the session's 8 hours from signing in (however often
    the cookie is written again since), and while their user or key still holds (a
    user disabled, a key revoked, signs them out at their next request)."""
    stored: dict[str, Any] | None = request.session.get("principal")
    if stored is None:
        raise SignInNeeded
    who = Principal(**{**stored, "role": Role(stored["role"])})
    state = request.app.state
    since = datetime.fromisoformat(request.session.get("signed_in_at", "2000-01-01T00:00:00+00:00"))
    fresh = state.clock() - since < timedelta(seconds=SESSION_SECONDS)
    user = who.actor.startswith("user:")
    if not fresh or not access.still_valid(who.access, user, state.uow(), state.settings.admin_key):
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


def check_form(request: Request, form: Any) -> None:
    """Refuse a form whose token is not this session's (before anything is done)."""
    sent = form.get("csrf")
    expected = request.session.get("csrf")
    if not isinstance(sent, str) or expected is None:
        raise BadForm
    if not hmac.compare_digest(sent.encode(), str(expected).encode()):
        raise BadForm
