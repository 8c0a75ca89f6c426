"""Console users: people who sign in with a name and a password.

Passwords are low-entropy secrets, so only their argon2 hash is kept (argon2-cffi's
defaults, OWASP's first choice). Signing in as a user nobody has costs the same
hash as a wrong password, so the answer's time does not tell which names exist.
"""

from __future__ import annotations

from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ordino.domain.access import ApiKey, Role
from ordino.domain.ids import new_id
from ordino.errors import InvalidInput, NotFound
from ordino.services.unit_of_work import UnitOfWork

MIN_PASSWORD = 10
_hasher = PasswordHasher()
_NOBODY = _hasher.hash("a password no user has")


def create_user(
    username: str,
    password: str,
    role: Role,
    uow: UnitOfWork,
    now: datetime,
    location_id: str | None = None,
) -> str:
    """Store the user (a store associate is scoped to their store); their id."""
    _refuse_short(password)
    if (location_id is not None) != (role is Role.STORE):
        raise InvalidInput.of("location_id", "a store user, and only they, has a store")
    if role is Role.CHANNEL:
        raise InvalidInput.of("role", "channels call the API with a key; people sign in")
    user = ApiKey(new_id(now), role, username, None, location_id)
    with uow:
        if location_id is not None and uow.network.get(location_id) is None:
            raise InvalidInput.of("location_id", f"unknown location {location_id!r}")
        uow.users.add(user, username, _hasher.hash(password), now)
        uow.commit()
    return user.id


def sign_in(username: str, password: str, uow: UnitOfWork) -> ApiKey | None:
    """The user's access if the password is theirs; None otherwise."""
    user, stored = password_of(username, uow)
    return user if verify(stored, password) and user is not None else None


def password_of(username: str, uow: UnitOfWork) -> tuple[ApiKey | None, str]:
    """The user's access and password hash; for no such (or a disabled) user, None
    and a hash no password matches, to verify all the same (the same time taken)."""
    with uow:
        found = uow.users.find(username)
    return (None, _NOBODY) if found is None else found


def verify(stored: str, password: str) -> bool:
    """Whether `password` is the one hashed in `stored`: the slow part (argon2), which
    the console runs on an executor of its own (`ordino.web.pages`)."""
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
    return True


def list_users(uow: UnitOfWork) -> list[dict[str, object]]:
    with uow:
        found = uow.users.all()
    return [
        {"username": user.name, "role": str(user.role), "location_id": user.location_id}
        | {"disabled": disabled}
        for user, disabled in found
    ]


def disable_user(username: str, uow: UnitOfWork, now: datetime) -> None:
    """They can no longer sign in, and every session they hold ends."""
    _change(username, uow, now, disabled_at=now)


def set_password(username: str, password: str, uow: UnitOfWork, now: datetime) -> None:
    """A new password; the sessions signed in with the old one end."""
    _refuse_short(password)
    _change(username, uow, now, password_hash=_hasher.hash(password))


def end_sessions(username: str, uow: UnitOfWork, now: datetime) -> int:
    """End every session the user holds (an admin's, from the console); how many."""
    return _change(username, uow, now)


def _change(username: str, uow: UnitOfWork, now: datetime, **values: object) -> int:
    """Change the user's row (if `values`) and end their sessions; how many ended."""
    with uow:
        user_id = uow.users.id_of(username)
        if user_id is None or (values and not uow.users.change(username, **values)):
            raise NotFound(f"no user {username!r}", extra={"username": username})
        ended = uow.sessions.end(now, principal_id=user_id)
        uow.commit()
    return ended


def _refuse_short(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput.of("password", f"must be at least {MIN_PASSWORD} characters")
