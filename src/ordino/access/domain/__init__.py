"""The pure model of access: plain Python, no I/O, no framework."""

from ordino.access.domain.throttling import Subject, counter_subjects, lookup_subjects

__all__ = [
    "Subject",
    "counter_subjects",
    "lookup_subjects",
]
