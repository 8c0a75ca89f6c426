"""Promising's use cases and the port they speak to."""

from ordino.promising.services.ports import PromisingWork
from ordino.promising.services.promises import (
    PromiseQuery,
    Promising,
    make_promise,
    promise_snapshot,
    promise_with_floors,
)

__all__ = [
    "PromiseQuery",
    "Promising",
    "PromisingWork",
    "make_promise",
    "promise_snapshot",
    "promise_with_floors",
]
