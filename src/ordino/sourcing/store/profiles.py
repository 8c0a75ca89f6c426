"""Sourcing profiles: the current document of each, and every version kept (an order
names the version that sourced it, and its explanation shows those rules)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ordino.kernel.domain import ChangeLog, LostRace
from ordino.sourcing.domain.profiles import SourcingProfile, profile_document, profile_from_document
from ordino.sourcing.store.tables import sourcing_profile_versions, sourcing_profiles


class SqlProfiles:
    def __init__(self, connection: Connection, changes: ChangeLog) -> None:
        self.connection, self.changes = connection, changes

    def all(self) -> list[SourcingProfile]:
        query = select(sourcing_profiles).order_by(sourcing_profiles.c.name)
        return [
            profile_from_document(row.name, row.document, row.version)
            for row in self.connection.execute(query)
        ]

    def get(self, name: str) -> SourcingProfile | None:
        query = select(sourcing_profiles).where(sourcing_profiles.c.name == name)
        row = self.connection.execute(query).first()
        return None if row is None else profile_from_document(row.name, row.document, row.version)

    def version(self, name: str, version: int) -> SourcingProfile | None:
        table = sourcing_profile_versions
        query = select(table).where(table.c.name == name, table.c.version == version)
        row = self.connection.execute(query).first()
        return None if row is None else profile_from_document(row.name, row.document, row.version)

    def put(self, profile: SourcingProfile, now: datetime, by: str) -> tuple[bool, int]:
        """Create or replace; (created, the version it now has), that version kept
        with its author (`by`). Versions go on counting across a removal: a number
        names one set of rules."""
        self.changes.network = True  # pictures hold the profiles
        kept = sourcing_profile_versions
        latest = self.connection.scalar(
            select(func.max(kept.c.version)).where(kept.c.name == profile.name)
        )
        version = (latest or 0) + 1
        document = profile_document(profile)
        values = {"document": document, "version": version, "updated_at": now}
        try:
            self.connection.execute(
                insert(kept).values(
                    name=profile.name,
                    version=version,
                    document=document,
                    created_at=now,
                    created_by=by,
                )
            )
            replaced = self.connection.execute(
                update(sourcing_profiles)
                .where(sourcing_profiles.c.name == profile.name)
                .values(**values)
            ).rowcount
            if not replaced:
                self.connection.execute(
                    insert(sourcing_profiles).values(name=profile.name, **values)
                )
        except IntegrityError as error:  # changed concurrently
            raise LostRace(str(error.orig)) from error
        return not replaced, version

    def versions(self, name: str) -> list[tuple[int, datetime, str | None]]:
        """Every version the profile had, the newest first: (version, when, who)."""
        kept = sourcing_profile_versions.c
        query = (
            select(kept.version, kept.created_at, kept.created_by)
            .where(kept.name == name)
            .order_by(kept.version.desc())
        )
        return [
            (row.version, row.created_at, row.created_by) for row in self.connection.execute(query)
        ]

    def remove(self, name: str) -> bool:
        """The current profile goes; its versions stay, for the orders that name them."""
        self.changes.network = True
        query = delete(sourcing_profiles).where(sourcing_profiles.c.name == name)
        return bool(self.connection.execute(query).rowcount)
