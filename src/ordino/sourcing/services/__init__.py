"""Sourcing's use cases and the port they speak to."""

from ordino.sourcing.services.ports import SourcingWork
from ordino.sourcing.services.requests import profile_named, sourcing_request, sourcing_settings

__all__ = [
    "SourcingWork",
    "profile_named",
    "sourcing_request",
    "sourcing_settings",
]
