"""Balances and their entries. Money goes on a balance by `put` (its first entry
opens it) and comes off by `hold`, one conditional statement (the balance only
while it holds enough: no race takes it below zero), each with its entry, in the
caller's transaction. And businesses' credit accounts (`SqlCreditAccounts`)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, insert, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from ordino.kernel.domain import InvalidInput, LostRace, from_minor, new_id, to_minor
from ordino.payments.domain.balances import (
    Balance,
    BalanceKind,
    CreditAccount,
    Entry,
    EntryKind,
)
from ordino.payments.store.tables import balance_entries, balances, credit_accounts
from ordino.store.dialect import is_postgresql

_B = balances.c
_E = balance_entries.c
_C = credit_accounts.c


class SqlBalances:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, account: str) -> Balance | None:
        row = self.connection.execute(select(balances).where(_B.account == account)).first()
        if row is None:
            return None
        amount = from_minor(row.balance_minor, row.currency)
        return Balance(row.account, BalanceKind(row.kind), row.currency, amount)

    def open(self, entry: Entry, kind: BalanceKind, currency: str) -> Balance:
        """A new balance with its first entry; LostRace when the account exists (a
        concurrent opening won: the retry finds it)."""
        try:
            self.connection.execute(
                insert(balances).values(
                    account=entry.account, kind=str(kind), currency=currency,
                    balance_minor=to_minor(entry.amount, currency), entry_count=1,
                    created_at=entry.at,
                )
            )  # fmt: skip
        except IntegrityError as error:
            raise LostRace(str(error.orig)) from error
        self._entry(entry, currency, 1)
        return Balance(entry.account, kind, currency, entry.amount)

    def put(self, entry: Entry, kind: BalanceKind, currency: str) -> Balance:
        """Money on the balance (opened by its first entry, in `currency`); InvalidInput
        naming `currency` when the balance is in another."""
        minor = to_minor(entry.amount, currency)
        dialect = postgresql if is_postgresql(self.connection) else sqlite
        statement = dialect.insert(balances).values(
            account=entry.account, kind=str(kind), currency=currency,
            balance_minor=minor, entry_count=1, created_at=entry.at,
        )  # fmt: skip
        found = self.connection.execute(
            statement.on_conflict_do_update(
                index_elements=[_B.account],
                set_={
                    "balance_minor": _B.balance_minor + minor,
                    "entry_count": _B.entry_count + 1,
                },
                where=_B.currency == currency,
            ).returning(_B.balance_minor, _B.entry_count)
        ).first()
        if found is None:
            raise InvalidInput.of("currency", f"the balance is not in {currency}")
        self._entry(entry, currency, found[1])
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
            .values(balance_minor=_B.balance_minor - taken, entry_count=_B.entry_count + 1)
            .returning(_B.entry_count)
        ).first()
        if done is None:
            return False
        self._entry(entry, currency, done[0])
        return True

    def credited(self, order_id: str) -> Decimal:
        """What refunds of the order gave as store credit instead of to its tenders."""
        e = balance_entries.c
        query = (
            select(e.amount_minor, balances.c.currency)
            .join(balances, balances.c.account == e.account)
            .where(e.order_id == order_id, e.kind == str(EntryKind.CREDITED))
        )
        return sum(
            (from_minor(minor, currency) for minor, currency in self.connection.execute(query)),
            Decimal(0),
        )

    def entries(self, account: str) -> list[Entry]:
        currency = self.connection.scalar(select(_B.currency).where(_B.account == account))
        return _entries(self.connection, account, currency)

    def disagreeing(self) -> list[tuple[str, str]]:
        """Every balance, and every credit account, whose amount or count of entries
        is not what its entries add up to: (account, what disagrees)."""
        found = []
        for table, amount, key in (
            (balances, _B.balance_minor, _B.account),
            (credit_accounts, _C.open_minor, literal("invoice:") + _C.account),
        ):
            query = (
                select(
                    key.label("account"),
                    amount.label("amount"),
                    table.c.entry_count,
                    func.coalesce(func.sum(_E.amount_minor), 0).label("summed"),
                    func.count(_E.id).label("entries"),
                )
                .select_from(table.outerjoin(balance_entries, _E.account == key))
                .group_by(key, amount, table.c.entry_count)
            )
            for row in self.connection.execute(query):
                if row.amount != row.summed:
                    found.append((row.account, f"holds {row.amount} (minor units), "
                                  f"its entries add up to {row.summed}"))  # fmt: skip
                if row.entry_count != row.entries:
                    found.append((row.account, f"counts {row.entry_count} entries, "
                                  f"has {row.entries}"))  # fmt: skip
        return found

    def _entry(self, entry: Entry, currency: str, n: int) -> None:
        _write_entry(self.connection, entry, currency, n)


def _entries(connection: Connection, account: str, currency: str | None) -> list[Entry]:
    """The account's entries in the order made (a credit account's in its currency)."""
    if currency is None:
        name = account.partition(":")[2]
        currency = connection.scalar(select(_C.currency).where(_C.account == name))
    query = select(balance_entries).where(_E.account == account).order_by(_E.n)
    return [
        Entry(
            row.account,
            EntryKind(row.kind),
            from_minor(row.amount_minor, currency or "EUR"),
            row.at,
            row.order_id,
            row.by,
            row.note,
            row.id,
        )
        for row in connection.execute(query)
    ]


def _write_entry(connection: Connection, entry: Entry, currency: str, n: int) -> None:
    connection.execute(
        insert(balance_entries).values(
            id=entry.id or new_id(entry.at),
            account=entry.account,
            n=n,
            kind=str(entry.kind),
            amount_minor=to_minor(entry.amount, currency),
            order_id=entry.order_id,
            by=entry.by,
            note=entry.note,
            at=entry.at,
        )
    )


class SqlCreditAccounts:
    """Businesses' credit accounts. What they owe moves by one statement each
    (`charge`, `credit`), in the caller's transaction: two orders charging one
    account at once each see what the other added."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, account: str) -> CreditAccount | None:
        row = self.connection.execute(select(credit_accounts).where(_C.account == account)).first()
        return None if row is None else _credit(row)

    def put(self, account: CreditAccount, now: datetime) -> CreditAccount:
        """Its limit and terms set (what it owes kept); InvalidInput naming `currency`
        when it owes in another."""
        dialect = postgresql if is_postgresql(self.connection) else sqlite
        limit = to_minor(account.limit, account.currency)
        statement = dialect.insert(credit_accounts).values(
            account=account.account, currency=account.currency, limit_minor=limit,
            open_minor=0, terms_days=account.terms_days, updated_at=now,
        )  # fmt: skip
        found = self.connection.execute(
            statement.on_conflict_do_update(
                index_elements=[_C.account],
                set_={"limit_minor": limit, "terms_days": account.terms_days,
                      "currency": account.currency, "updated_at": now},
                where=(_C.currency == account.currency) | (_C.entry_count == 0),
            ).returning(_C.account)
        ).first()  # fmt: skip
        if found is None:
            raise InvalidInput.of("currency", "the account has entries in another currency")
        kept = self.get(account.account)
        assert kept is not None
        return kept

    def charge(self, entry: Entry, currency: str) -> CreditAccount | None:
        """What the account (`entry.account`, "invoice:<account>") owes moved by
        `entry.amount`, with its entry, as it is after; None when there is no such
        account in `currency` (nothing to check an order against, nothing recorded)."""
        name = entry.account.partition(":")[2]
        row = self.connection.execute(
            update(credit_accounts)
            .where(_C.account == name, _C.currency == currency)
            .values(
                open_minor=_C.open_minor + to_minor(entry.amount, currency),
                entry_count=_C.entry_count + 1,
            )
            .returning(*credit_accounts.c)
        ).first()
        if row is None:
            return None
        _write_entry(self.connection, entry, currency, row.entry_count)
        return _credit(row)

    def entries(self, account: str) -> list[Entry]:
        return _entries(self.connection, f"invoice:{account}", None)

    def charged(self, entry_account: str, order_id: str) -> bool:
        """Whether the order was charged to the account (`entry_account`:
        "invoice:<account>") as it was placed."""
        found = self.connection.execute(
            select(_E.id).where(
                _E.order_id == order_id,
                _E.account == entry_account,
                _E.kind == str(EntryKind.CHARGED),
            )
        ).first()
        return found is not None


def _credit(row: Any) -> CreditAccount:
    return CreditAccount(
        row.account,
        row.currency,
        from_minor(row.limit_minor, row.currency),
        from_minor(row.open_minor, row.currency),
        row.terms_days,
    )
