"""Sourcing's HTTP routes and the schemas of what they take and answer."""

from ordino.sourcing.api.schemas import ExplanationOut

__all__ = [
    "ExplanationOut",
]
