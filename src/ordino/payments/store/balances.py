"""Balances and their entries. Money goes on a balance by `put` (its first entry
opens it) and comes off by `hold`, one conditional statement (the balance only
while it holds enough: no race takes it below zero), each with its entry, in the
caller's transaction."""

from __future__ import annotations

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ordino.kernel.domain import InvalidInput, from_minor, new_id, to_minor
from ordino.payments.domain.balances import Balance, BalanceKind, Entry, EntryKind
from ordino.payments.store.tables import balance_entries, balances
from ordino.store.dialect import is_postgresql

_B = balances.c
_E = balance_entries.c


class SqlBalances:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, account: str) -> Balance | None:
        row = self.connection.execute(select(balances).where(_B.account == account)).first()
        if row is None:
            return None
        amount = from_minor(row.balance_minor, row.currency)
        return Balance(row.account, BalanceKind(row.kind), row.currency, amount)

    def put(self, entry: Entry, kind: BalanceKind, currency: str) -> Balance:
        """Money on the balance (opened by its first entry, in `currency`); InvalidInput
        naming `currency` when the balance is in another."""
        minor = to_minor(entry.amount, currency)
        dialect = postgresql if is_postgresql(self.connection) else sqlite
        statement = dialect.insert(balances).values(
            account=entry.account, kind=str(kind), currency=currency,
            balance_minor=minor, created_at=entry.at,
        )  # fmt: skip
        found = self.connection.execute(
            statement.on_conflict_do_update(
                index_elements=[_B.account],
                set_={"balance_minor": _B.balance_minor + minor},
                where=_B.currency == currency,
            ).returning(_B.balance_minor)
        ).first()
        if found is None:
            raise InvalidInput.of("currency", f"the balance is not in {currency}")
        self._entry(entry, currency)
        return Balance(entry.account, kind, currency, from_minor(found[0], currency))

    def hold(self, entry: Entry, currency: str) -> bool:
        """`-entry.amount` taken off the balance for its order, only while the
        balance holds it (one statement: no race takes it below zero); False when it
        does not, or is in another currency, or there is none."""
        taken = to_minor(-entry.amount, currency)
        done = self.connection.execute(
            update(balances)
            .where(
                _B.account == entry.account,
                _B.currency == currency,
                _B.balance_minor >= taken,
            )
            .values(balance_minor=_B.balance_minor - taken)
        )
        if done.rowcount != 1:
            return False
        self._entry(entry, currency)
        return True

    def entries(self, account: str) -> list[Entry]:
        query = select(balance_entries).where(_E.account == account).order_by(_E.at, _E.id)
        currency = self.connection.scalar(select(_B.currency).where(_B.account == account))
        return [
            Entry(
                row.account,
                EntryKind(row.kind),
                from_minor(row.amount_minor, currency or "EUR"),
                row.at,
                row.order_id,
                row.by,
            )
            for row in self.connection.execute(query)
        ]

    def _entry(self, entry: Entry, currency: str) -> None:
        self.connection.execute(
            insert(balance_entries).values(
                id=new_id(entry.at),
                account=entry.account,
                kind=str(entry.kind),
                amount_minor=to_minor(entry.amount, currency),
                order_id=entry.order_id,
                by=entry.by,
                at=entry.at,
            )
        )
