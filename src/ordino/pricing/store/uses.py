"""What the promotions with limits were used for: their uses and what they gave, in
all and per customer, each order's taken by a conditional upsert (one statement that
adds the use only while the limit holds, so that no race exceeds it: a limit reached
meanwhile is a lost race, and the retry decides again from the counts as they are),
and given back once when the order is cancelled."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, and_, delete, literal, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite

from ordino.kernel.domain import LostRace, from_minor, to_minor
from ordino.pricing.engine import EVERYONE, PromotionUse, Usage, UsageKey
from ordino.pricing.store.tables import promotion_redemptions, promotion_uses, promotions
from ordino.store.dialect import is_postgresql

_USES = promotion_uses.c


class SqlPromotionUses:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def of(self, keys: Iterable[UsageKey]) -> dict[UsageKey, Usage]:
        """The counts of these promotions and customers (none yet: not there)."""
        wanted = sorted(set(keys))
        if not wanted:
            return {}
        key = tuple_(_USES.promotion_id, _USES.customer)
        query = select(promotion_uses).where(key.in_(wanted))
        return {
            (row.promotion_id, row.customer): Usage(
                row.used, from_minor(row.given_minor, row.currency)
            )
            for row in self.connection.execute(query)
        }

    def take(self, order_id: str, uses: Sequence[PromotionUse]) -> None:
        """Take the order's uses; LostRace when a limit was reached since the counts
        were read, or a promotion changed since it was read (its limits are the
        current version's: on PostgreSQL the versions are held, shared, until the
        order commits, so that a change waits for the orders decided by the old one).
        In the order of the rows, so that concurrent orders never wait on each other
        in a circle."""
        if not uses:
            return
        self._refuse_changed(uses)
        counted = [(use, EVERYONE) for use in uses]
        counted += [(use, use.customer) for use in uses if use.customer != EVERYONE]
        for use, customer in sorted(counted, key=lambda taken: (taken[0].promotion_id, taken[1])):
            self._take(use, customer)
        self.connection.execute(
            promotion_redemptions.insert(),
            [
                {
                    "order_id": order_id,
                    "promotion_id": use.promotion_id,
                    "reference": use.reference,
                    "customer": use.customer,
                    "code": use.code,
                    "given_minor": to_minor(use.given, use.currency),
                    "currency": use.currency,
                }
                for use in uses
            ],
        )

    def _refuse_changed(self, uses: Sequence[PromotionUse]) -> None:
        p = promotions.c
        query = select(p.id, p.version).where(p.id.in_(sorted({u.promotion_id for u in uses})))
        if is_postgresql(self.connection):
            query = query.order_by(p.id).with_for_update(read=True)
        current = {row.id: row.version for row in self.connection.execute(query)}
        for use in uses:
            if current.get(use.promotion_id) != use.version:
                raise LostRace(f"promotion {use.promotion_id} changed since it was read")

    def _take(self, use: PromotionUse, customer: str) -> None:
        limits, given = use.limits, to_minor(use.given, use.currency)
        limit = limits.uses if customer == EVERYONE else limits.uses_per_customer
        budget = limits.budget if customer == EVERYONE else None
        budget_minor = None if budget is None else to_minor(budget, use.currency)
        # A first use inserts its row, which no condition checks: it is checked here.
        if budget_minor is not None and given > budget_minor:
            raise LostRace(f"promotion {use.promotion_id} cannot give {use.given}")
        dialect = postgresql if is_postgresql(self.connection) else sqlite
        statement = dialect.insert(promotion_uses).values(
            promotion_id=use.promotion_id,
            customer=customer,
            used=1,
            given_minor=given,
            currency=use.currency,
        )
        holds: list[Any] = [literal(True)]
        if limit is not None:
            holds.append(_USES.used + 1 <= limit)
        if budget_minor is not None:
            holds.append(_USES.given_minor + given <= budget_minor)
        # The row written is returned; none when the condition failed (an insert's
        # rowcount is not told alike by every driver).
        taken = self.connection.execute(
            statement.on_conflict_do_update(
                index_elements=[_USES.promotion_id, _USES.customer],
                set_={
                    "used": _USES.used + 1,
                    "given_minor": _USES.given_minor + given,
                    # One currency a row: a promotion that gave some keeps its own.
                    "currency": statement.excluded.currency,
                },
                where=and_(*holds),
            ).returning(_USES.used)
        ).first()
        if taken is None:
            raise LostRace(f"promotion {use.promotion_id} reached a limit")

    def give_back(self, order_id: str) -> int:
        """Give back what the order took (once: its record goes); how many uses."""
        r = promotion_redemptions.c
        taken = self.connection.execute(
            select(r.promotion_id, r.customer, r.given_minor)
            .where(r.order_id == order_id)
            .order_by(r.promotion_id)
        ).all()
        for row in taken:
            for customer in sorted({EVERYONE, row.customer}):
                self.connection.execute(
                    update(promotion_uses)
                    .where(_USES.promotion_id == row.promotion_id, _USES.customer == customer)
                    .values(used=_USES.used - 1, given_minor=_USES.given_minor - row.given_minor)
                )
        if taken:
            self.connection.execute(delete(promotion_redemptions).where(r.order_id == order_id))
        return len(taken)
