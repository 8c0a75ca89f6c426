"""Sourcing profiles: the current document of each, and every version kept (an order
names the version that sourced it, and its explanation shows those rules)."""

from __future__ import annotations

from sqlalchemy import Connection

from ordino.kernel.domain import ChangeLog
from ordino.sourcing.domain.profiles import SourcingProfile, profile_document, profile_from_document
from ordino.sourcing.store.tables import sourcing_profile_versions, sourcing_profiles
from ordino.store.settings import SqlVersionedDocuments


class SqlProfiles(SqlVersionedDocuments[SourcingProfile]):
    def __init__(self, connection: Connection, changes: ChangeLog) -> None:
        def told() -> None:
            changes.network = True  # pictures hold the profiles

        super().__init__(
            connection,
            sourcing_profiles.c.name,
            sourcing_profile_versions,
            (profile_from_document, profile_document),
            lambda profile: profile.name,
            told,
        )
