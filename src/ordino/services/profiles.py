"""Sourcing profile use cases: put (every change a new version, all versions kept),
read the current one or any version, list, remove."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ordino.domain.profiles import SourcingProfile, profile_document
from ordino.errors import NotFound
from ordino.services.answers import refuse_changed
from ordino.services.channels import channels_of, refuse_unknown_channels
from ordino.services.order_types import refuse_unknown_types
from ordino.services.retry import with_retries
from ordino.services.unit_of_work import UnitOfWork


def put_profile(
    profile: SourcingProfile, uow: UnitOfWork, now: datetime, version: int | None = None
) -> tuple[bool, dict[str, Any]]:
    """Create or replace; with `version` (the one read), refused if it changed since."""

    def attempt(_: int) -> tuple[bool, dict[str, Any]]:
        with uow:
            refuse_unknown_types(uow, profile.order_types)
            refuse_unknown_channels(channels_of(uow), profile.channels)
            stored = uow.profiles.get(profile.name)
            current = stored.version if stored is not None else None
            refuse_changed(
                f"sourcing profile {profile.name}", current, version, profile=profile.name
            )
            created, saved = uow.profiles.put(profile, now)
            uow.commit()
        return created, profile_answer(profile, saved)

    return with_retries(attempt)


def get_profile(name: str, uow: UnitOfWork, version: int | None = None) -> dict[str, Any]:
    with uow:
        found = uow.profiles.get(name) if version is None else uow.profiles.version(name, version)
    if found is None:
        what = f"no sourcing profile {name}" + ("" if version is None else f" version {version}")
        raise NotFound(what, extra={"profile": name, "version": version})
    return profile_answer(found, found.version)


def list_profiles(uow: UnitOfWork) -> list[dict[str, Any]]:
    with uow:
        return [profile_answer(p, p.version) for p in uow.profiles.all()]


def delete_profile(name: str, uow: UnitOfWork) -> None:
    with uow:
        if not uow.profiles.remove(name):
            raise NotFound(f"no sourcing profile {name}", extra={"profile": name})
        uow.commit()


def profile_answer(profile: SourcingProfile, version: int) -> dict[str, Any]:
    return {"name": profile.name, **profile_document(profile), "version": version}
