"""The pure model of access: plain Python, no I/O, no framework."""

from ordino.access.domain.throttling import Subject, lookup_subjects

__all__ = [
    "Subject",
    "lookup_subjects",
]
