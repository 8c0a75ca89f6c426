"""Console users: people who sign in with a name and a password.

Passwords are low-entropy secrets, so only their argon2 hash is kept (argon2-cffi's
defaults, OWASP's first choice). Signing in as a user nobody has costs the same
hash as a wrong password, so the answer's time does not tell which names exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ordino.access.domain.keys import user_document
from ordino.access.services.ports import AccessWork
from ordino.kernel.domain import ApiKey, ConfigurationKind, InvalidInput, NotFound, Role, new_id
from ordino.kernel.services import ORDINO, Changed, record

MIN_PASSWORD = 10
_hasher = PasswordHasher()
_NOBODY = _hasher.hash("a password no user has")


@dataclass(frozen=True)
class NewUser:
    username: str
    role: Role
    location_id: str | None = None  # a store user's store


def create_user(
    username: str,
    password: str,
    role: Role,
    uow: AccessWork,
    now: datetime,
    location_id: str | None = None,
) -> str:
    """Store the user (made by Ordino itself: by hand, as in a test); their id."""
    return add_user(NewUser(username, role, location_id), password, uow, now, ORDINO)


def add_user(new: NewUser, password: str, uow: AccessWork, now: datetime, by: str) -> str:
    """Store the user (a store associate is scoped to their store), recorded as a change
    of configuration made `by` that caller; their id."""
    _refuse_short(password)
    if (new.location_id is not None) != (new.role is Role.STORE):
        raise InvalidInput.of("location_id", "a store user, and only they, has a store")
    if new.role is Role.CHANNEL:
        raise InvalidInput.of("role", "channels call the API with a key; people sign in")
    user = ApiKey(new_id(now), new.role, new.username, None, new.location_id)
    with uow:
        if new.location_id is not None and uow.network.get(new.location_id) is None:
            raise InvalidInput.of("location_id", f"unknown location {new.location_id!r}")
        uow.users.add(user, new.username, _hasher.hash(password), now)
        what = (ConfigurationKind.USER, new.username, None)
        record(uow, what, None, user_document(user, False), Changed(by, now))
        uow.commit()
    return user.id


def sign_in(username: str, password: str, uow: AccessWork) -> ApiKey | None:
    """The user's access if the password is theirs; None otherwise."""
    user, stored = password_of(username, uow)
    return user if verify(stored, password) and user is not None else None


def password_of(username: str, uow: AccessWork) -> tuple[ApiKey | None, str]:
    """The user's access and password hash; for no such (or a disabled) user, None
    and a hash no password matches, to verify all the same (the same time taken)."""
    with uow:
        found = uow.users.find(username)
    return (None, _NOBODY) if found is None else found


def verify(stored: str, password: str) -> bool:
    """Whether `password` is the one hashed in `stored`: the slow part (argon2), which
    the console runs on an executor of its own (`ordino.app.pages`)."""
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
    return True


def list_users(uow: AccessWork) -> list[dict[str, object]]:
    with uow:
        found = uow.users.all()
    return [
        {"username": user.name, "role": str(user.role), "location_id": user.location_id}
        | {"disabled": disabled}
        for user, disabled in found
    ]


def disable_user(username: str, uow: AccessWork, now: datetime, by: str) -> None:
    """They can no longer sign in, and every session they hold ends; recorded as a
    change of configuration made `by` that caller."""
    _change(username, uow, now, Changed(by, now), disabled_at=now)


def set_password(username: str, password: str, uow: AccessWork, now: datetime, by: str) -> None:
    """A new password; the sessions signed in with the old one end. Recorded as a
    change made `by` that caller (that it changed, never the password or its hash)."""
    _refuse_short(password)
    _change(username, uow, now, Changed(by, now), password_hash=_hasher.hash(password))


def end_sessions(username: str, uow: AccessWork, now: datetime) -> int:
    """End every session the user holds (an admin's, from the console); how many."""
    return _change(username, uow, now, None)


def _change(
    username: str, uow: AccessWork, now: datetime, changed: Changed | None, **values: object
) -> int:
    """Change the user's row (if `values`; recorded as `changed`) and end their
    sessions; how many ended."""
    with uow:
        found = uow.users.get(username)
        if found is None or (values and not uow.users.change(username, **values)):
            raise NotFound(f"no user {username!r}", extra={"username": username})
        if changed is not None:
            _record(uow, username, found, set(values), changed)
        ended = uow.sessions.end(now, principal_id=found[0].id)
        uow.commit()
    return ended


def _record(
    uow: AccessWork, username: str, found: tuple[ApiKey, bool], what: set[str], changed: Changed
) -> None:
    before = user_document(*found)
    after = before | ({"disabled": True} if "disabled_at" in what else {})
    after |= {"password": "changed"} if "password_hash" in what else {}
    record(uow, (ConfigurationKind.USER, username, None), before, after, changed)


def _refuse_short(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput.of("password", f"must be at least {MIN_PASSWORD} characters")
