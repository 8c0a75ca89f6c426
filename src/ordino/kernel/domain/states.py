"""State machines as data: each aggregate has a StrEnum and a transition table."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from ordino.kernel.domain.errors import IllegalTransition

S = TypeVar("S", bound=StrEnum)

TransitionTable = Mapping[S, frozenset[S]]


def transition(table: TransitionTable[S], current: S, target: S) -> S:
    """Return `target` if the table allows current -> target, else raise IllegalTransition."""
    if target not in table.get(current, frozenset()):
        raise IllegalTransition(
            f"cannot go from {current} to {target}",
            extra={"from": str(current), "to": str(target)},
        )
    return target


def can_transition(table: TransitionTable[S], current: S, target: S) -> bool:
    return target in table.get(current, frozenset())
