"""API keys, console users and their sessions (only hashes of keys, passwords and
session tokens are kept).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, exists, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from ordino.access.store.tables import api_keys, console_sessions, users
from ordino.kernel.domain import ENVIRONMENT, AlreadyExists, ApiKey, ChangeLog, Role


class SqlApiKeys:
    """Keys by the hash of the key. Revoking one records an access change, so every
    process's cache of keys hears of it (`ordino.store.change_feed`)."""

    def __init__(self, connection: Connection, changes: ChangeLog) -> None:
        self.connection = connection
        self.changes = changes

    def add(self, key: ApiKey, key_hash: str, now: datetime) -> None:
        self.connection.execute(
            insert(api_keys).values(
                id=key.id,
                key_hash=key_hash,
                role=str(key.role),
                name=key.name,
                channel=key.channel,
                location_id=key.location_id,
                created_at=now,
            )
        )

    def active(self, key_id: str) -> bool:
        """The key exists and is not revoked."""
        query = select(api_keys.c.id).where(
            api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None)
        )
        return self.connection.execute(query).first() is not None

    def all(self) -> list[tuple[ApiKey, datetime, datetime | None]]:
        """Every key (never its hash), when it was created and revoked, oldest first."""
        rows = self.connection.execute(select(api_keys).order_by(api_keys.c.id))
        return [
            (
                ApiKey(r.id, Role(r.role), r.name, r.channel, r.location_id),
                r.created_at,
                r.revoked_at,
            )
            for r in rows
        ]

    def revoke(self, key_id: str, now: datetime) -> bool | None:
        """Revoke the key: True; False if it was revoked already; None if there is none."""
        k = api_keys.c
        statement = update(api_keys).where(k.id == key_id, k.revoked_at.is_(None))
        if self.connection.execute(statement.values(revoked_at=now)).rowcount:
            self.changes.access = True
            return True
        return False if self.connection.scalar(select(k.id).where(k.id == key_id)) else None

    def get(self, key_id: str) -> ApiKey | None:
        """The key of that id, revoked or not."""
        row = self.connection.execute(select(api_keys).where(api_keys.c.id == key_id)).first()
        return (
            None
            if row is None
            else ApiKey(row.id, Role(row.role), row.name, row.channel, row.location_id)
        )

    def find(self, key_hash: str) -> ApiKey | None:
        row = self.connection.execute(
            select(
                api_keys.c.id,
                api_keys.c.role,
                api_keys.c.name,
                api_keys.c.channel,
                api_keys.c.location_id,
            ).where(api_keys.c.key_hash == key_hash, api_keys.c.revoked_at.is_(None))
        ).first()
        if row is None:
            return None
        return ApiKey(row.id, Role(row.role), row.name, row.channel, row.location_id)

    def names(self, key_ids: Sequence[str]) -> dict[str, str | None]:
        """The name each key was given (None: none), by id: who acted, as people read it."""
        query = select(api_keys.c.id, api_keys.c.name).where(api_keys.c.id.in_(set(key_ids)))
        return {row.id: row.name for row in self.connection.execute(query)}


class SqlUsers:
    """A user's access is an `ApiKey` whose id is the user's (role and scope alike)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, user: ApiKey, username: str, password_hash: str, now: datetime) -> None:
        try:
            self.connection.execute(
                insert(users).values(
                    id=user.id,
                    username=username,
                    password_hash=password_hash,
                    role=str(user.role),
                    name=user.name,
                    channel=user.channel,
                    location_id=user.location_id,
                    created_at=now,
                )
            )
        except IntegrityError as error:
            raise AlreadyExists(
                f"a user {username!r} exists", extra={"username": username}
            ) from error

    def all(self) -> list[tuple[ApiKey, bool]]:
        """Every user's access, by name, and whether they are disabled."""
        rows = self.connection.execute(select(users).order_by(users.c.username))
        return [
            (ApiKey(r.id, Role(r.role), r.username, r.channel, r.location_id), bool(r.disabled_at))
            for r in rows
        ]

    def change(self, username: str, **values: Any) -> bool:
        """Set the user's password hash or disabled time; False if no such user."""
        statement = update(users).where(users.c.username == username).values(**values)
        return bool(self.connection.execute(statement).rowcount)

    def get(self, username: str) -> tuple[ApiKey, bool] | None:
        """The user's access and whether they are disabled (None: no such user)."""
        r = self.connection.execute(select(users).where(users.c.username == username)).first()
        if r is None:
            return None
        return ApiKey(r.id, Role(r.role), r.username, r.channel, r.location_id), bool(r.disabled_at)

    def id_of(self, username: str) -> str | None:
        """The user's id, disabled or not (None: no such user)."""
        found: str | None = self.connection.scalar(
            select(users.c.id).where(users.c.username == username)
        )
        return found

    def find(self, username: str) -> tuple[ApiKey, str] | None:
        """The user's access and password hash (None: no such user, or disabled)."""
        row = self.connection.execute(
            select(users).where(users.c.username == username, users.c.disabled_at.is_(None))
        ).first()
        if row is None:
            return None
        access = ApiKey(row.id, Role(row.role), row.username, row.channel, row.location_id)
        return access, row.password_hash


class SqlSessions:
    """Console sessions by their token's hash. A session is open until it ends or
    expires, and while its user is not disabled or its key not revoked."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(
        self, token_hash: str, kind: str, principal_id: str, now: datetime, until: datetime
    ) -> None:
        self.connection.execute(
            insert(console_sessions).values(
                token_hash=token_hash,
                kind=kind,
                principal_id=principal_id,
                started_at=now,
                expires_at=until,
            )
        )

    def open_for(self, token_hash: str, now: datetime) -> str | None:
        """The principal of the open session of that token (None: there is none)."""
        s = console_sessions.c
        holds = or_(
            and_(
                s.kind == "user",
                exists().where(users.c.id == s.principal_id, users.c.disabled_at.is_(None)),
            ),
            and_(s.kind == "key", s.principal_id == ENVIRONMENT),
            and_(
                s.kind == "key",
                exists().where(api_keys.c.id == s.principal_id, api_keys.c.revoked_at.is_(None)),
            ),
        )
        query = select(s.principal_id).where(
            s.token_hash == token_hash, s.ended_at.is_(None), s.expires_at > now, holds
        )
        found: str | None = self.connection.scalar(query)
        return found

    def end(
        self, now: datetime, token_hash: str | None = None, principal_id: str | None = None
    ) -> int:
        """End the session of a token, or every open one of a principal; how many."""
        s = console_sessions.c
        which = s.token_hash == token_hash if token_hash else s.principal_id == principal_id
        statement = update(console_sessions).where(which, s.ended_at.is_(None), s.expires_at > now)
        return int(self.connection.execute(statement.values(ended_at=now)).rowcount)

    def open_counts(self, now: datetime) -> dict[str, int]:
        """Open sessions per principal (user or key id)."""
        s = console_sessions.c
        query = (
            select(s.principal_id, func.count())
            .where(s.ended_at.is_(None), s.expires_at > now)
            .group_by(s.principal_id)
        )
        return {principal: int(count) for principal, count in self.connection.execute(query)}

    def prune(self, before: datetime) -> None:
        """Forget sessions that expired or ended before `before`."""
        s = console_sessions.c
        gone = or_(s.expires_at < before, s.ended_at < before)
        self.connection.execute(delete(console_sessions).where(gone))
