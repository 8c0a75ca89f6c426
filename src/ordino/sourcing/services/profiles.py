"""Sourcing profile use cases: put (every change a new version, all versions kept),
read the current one or any version, list, remove."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ordino.kernel.domain import ConfigurationKind, NotFound
from ordino.kernel.services import (
    ORDINO,
    Changed,
    record,
    refuse_changed,
    refuse_unknown_types,
    with_retries,
)
from ordino.network.domain import refuse_unknown_channels
from ordino.network.services import channels_of
from ordino.sourcing.domain.profiles import SourcingProfile, profile_document
from ordino.sourcing.services.ports import SourcingWork


def put_profile(
    profile: SourcingProfile,
    uow: SourcingWork,
    now: datetime,
    version: int | None = None,
    by: str = ORDINO,
) -> tuple[bool, dict[str, Any]]:
    """Create or replace; with `version` (the one read), refused if it changed since.
    The new version names `by` as its author, and the change is recorded."""

    def attempt(_: int) -> tuple[bool, dict[str, Any]]:
        with uow:
            refuse_unknown_types(uow, profile.order_types)
            refuse_unknown_channels(channels_of(uow), profile.channels)
            stored = uow.profiles.get(profile.name)
            current = stored.version if stored is not None else None
            refuse_changed(
                f"sourcing profile {profile.name}", current, version, profile=profile.name
            )
            created, saved = uow.profiles.put(profile, now, by)
            record(
                uow,
                (ConfigurationKind.SOURCING_PROFILE, profile.name, saved),
                None if stored is None else profile_document(stored),
                profile_document(profile),
                Changed(by, now),
            )
            uow.commit()
        return created, profile_answer(profile, saved)

    return with_retries(attempt)


def get_profile(name: str, uow: SourcingWork, version: int | None = None) -> dict[str, Any]:
    """The current profile, or the one of `version` with when and by whom it was made."""
    with uow:
        found = uow.profiles.get(name) if version is None else uow.profiles.version(name, version)
        made = [] if version is None else uow.profiles.versions(name)
    if found is None:
        what = f"no sourcing profile {name}" + ("" if version is None else f" version {version}")
        raise NotFound(what, extra={"profile": name, "version": version})
    answer = profile_answer(found, found.version)
    for number, at, by in made:
        if number == version:
            answer |= {"created_at": at.isoformat(), "created_by": by}
    return answer


def list_profiles(uow: SourcingWork) -> list[dict[str, Any]]:
    with uow:
        return [profile_answer(p, p.version) for p in uow.profiles.all()]


def list_versions(name: str, uow: SourcingWork) -> dict[str, Any]:
    """Every version of the profile, the newest first, with when and by whom it was
    made (versions kept before authors were have none)."""
    with uow:
        versions = uow.profiles.versions(name)
    if not versions:
        raise NotFound(f"no sourcing profile {name}", extra={"profile": name})
    return {
        "name": name,
        "items": [
            {"version": version, "created_at": at.isoformat(), "created_by": by}
            for version, at, by in versions
        ],
    }


def delete_profile(name: str, uow: SourcingWork, now: datetime, by: str = ORDINO) -> None:
    with uow:
        before = uow.profiles.get(name)
        if before is None or not uow.profiles.remove(name):
            raise NotFound(f"no sourcing profile {name}", extra={"profile": name})
        what = (ConfigurationKind.SOURCING_PROFILE, name, None)
        record(uow, what, profile_document(before), None, Changed(by, now))
        uow.commit()


def profile_answer(profile: SourcingProfile, version: int) -> dict[str, Any]:
    return {"name": profile.name, **profile_document(profile), "version": version}
