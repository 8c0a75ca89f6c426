"""Holds: what stops an order before it is released, and the rules that put them.

A hold rule is data: a CEL expression (https://cel.dev) over the facts of an order
(`ordino.orchestration.engine.hold_rules` names them), the reason it gives, and the order types it
applies to. The `checks` step of an order's pipeline evaluates the rules that apply;
each that is true puts a hold on the order, which waits until someone releases
every hold (it then goes on) or cancels it. A rule whose hold was released is not
evaluated again for that order. Someone may also hold an order by hand.

Invariants: a hold is resolved once (released, or cancelled with its order), by
someone, with a note; an order with an active hold is never released; a cancelled
order has no active hold (cancelling it, however, ends them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from ordino.kernel.domain import IllegalTransition

MANUAL = "manual"  # the rule of a hold put by hand


class HoldStatus(StrEnum):
    ACTIVE = "active"
    RELEASED = "released"
    CANCELLED = "cancelled"  # the order was cancelled from it


@dataclass(frozen=True)
class HoldRule:
    name: str
    expression: str  # CEL, true: hold
    reason: str
    order_types: frozenset[str] = frozenset()  # none: every type
    enabled: bool = True
    version: int = 1

    def applies_to(self, order_type: str) -> bool:
        return self.enabled and (not self.order_types or order_type in self.order_types)


@dataclass
class Hold:
    id: str
    rule: str  # the rule's name, or MANUAL
    reason: str
    status: HoldStatus
    placed_at: datetime
    placed_by: str  # "rule:<name>@<version>", or the key that put it
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    note: str | None = None

    @property
    def active(self) -> bool:
        return self.status is HoldStatus.ACTIVE

    def resolve(self, status: HoldStatus, by: str, note: str | None, now: datetime) -> None:
        if not self.active:
            raise IllegalTransition(
                f"hold {self.id} is {self.status}",
                extra={"from": str(self.status), "to": str(status)},
            )
        self.status, self.resolved_by, self.note, self.resolved_at = status, by, note, now


def hold_document(h: Hold) -> dict[str, object]:
    return {
        "id": h.id,
        "rule": h.rule,
        "reason": h.reason,
        "status": str(h.status),
        "placed_at": h.placed_at.isoformat(),
        "placed_by": h.placed_by,
        "resolved_at": h.resolved_at.isoformat() if h.resolved_at else None,
        "resolved_by": h.resolved_by,
        "note": h.note,
    }


def hold_rule_document(rule: HoldRule) -> dict[str, Any]:
    return {
        "expression": rule.expression,
        "reason": rule.reason,
        "order_types": sorted(rule.order_types),
        "enabled": rule.enabled,
    }


def hold_rule_from_document(name: str, document: dict[str, Any]) -> HoldRule:
    return HoldRule(
        name,
        document["expression"],
        document["reason"],
        frozenset(document["order_types"]),
        document["enabled"],
    )
