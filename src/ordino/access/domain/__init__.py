"""The pure model of access: plain Python, no I/O, no framework."""

from ordino.access.domain.throttling import lookup_subjects

__all__ = [
    "lookup_subjects",
]
