"""Sourcing profiles: rules as data, every version kept."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import JSONResponse

from ordino.http.deps import clock, unit_of_work
from ordino.http.fields import ID_PATTERN
from ordino.http.security import require
from ordino.kernel.domain import ApiKey, Permission
from ordino.sourcing.api.schemas import (
    ProfileAtVersionOut,
    ProfileIn,
    ProfileList,
    ProfileOut,
    VersionList,
)
from ordino.sourcing.services import profiles

router = APIRouter(prefix="/v1/sourcing-profiles")

NamePath = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]
VersionPath = Annotated[int, Path(ge=1, le=2_147_483_647)]
READ = [Depends(require(Permission.SETUP_READ))]
Configurer = Annotated[ApiKey, Depends(require(Permission.NETWORK_WRITE))]


@router.get("", response_model=ProfileList, dependencies=READ)
def list_profiles(request: Request) -> Response:
    return JSONResponse({"items": profiles.list_profiles(unit_of_work(request))})


@router.put("/{name}", response_model=ProfileOut)
def put_profile(name: NamePath, body: ProfileIn, request: Request, caller: Configurer) -> Response:
    """Create or replace a profile: filters, strategies tried in order, cost weights.
    Every change is a new version, and every version is kept with its author. Send
    the `version` you read to be refused (409) if it changed since."""
    uow, now = unit_of_work(request), clock(request)
    profile, by = body.to_domain(name), f"key:{caller.id}"
    created, answer = profiles.put_profile(profile, uow, now, body.version, by)
    return JSONResponse(answer, status_code=201 if created else 200)


@router.get("/{name}", response_model=ProfileOut, dependencies=READ)
def get_profile(name: NamePath, request: Request) -> Response:
    return JSONResponse(profiles.get_profile(name, unit_of_work(request)))


@router.get("/{name}/versions", response_model=VersionList, dependencies=READ)
def list_profile_versions(name: NamePath, request: Request) -> Response:
    """Every version of the profile, the newest first: when, and who made it."""
    return JSONResponse(profiles.list_versions(name, unit_of_work(request)))


@router.get("/{name}/versions/{version}", response_model=ProfileAtVersionOut, dependencies=READ)
def get_profile_version(name: NamePath, version: VersionPath, request: Request) -> Response:
    """A profile as it was at a version (an order names the version that sourced it)."""
    return JSONResponse(profiles.get_profile(name, unit_of_work(request), version))


@router.delete("/{name}", status_code=204)
def delete_profile(name: NamePath, request: Request, caller: Configurer) -> Response:
    """The profile no longer applies; its versions stay readable."""
    profiles.delete_profile(name, unit_of_work(request), clock(request), f"key:{caller.id}")
    return Response(status_code=204)
