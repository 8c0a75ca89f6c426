"""Where an erasure reaches beyond the orders' own rows: their events in the outbox
(the timeline), their sourcing decisions, the webhook deliveries about them, the
answers kept for idempotency keys, the errors of jobs about them, the reasons of
stock movements they caused, the card tokens of their payments, their store credit's
account and the tenders paid from it or on their account, the counts of their uses
of promotions, the buyer on their invoices and credit notes and the recipient
on their customs declarations; and the records of erasures and of exports.

Each rewrite goes through `ordino.privacy.domain.erasure.PersonalData`, so what is erased
is decided in one place. On PostgreSQL the erasure first takes the relay's lock: no
relay can fan out an event as it was before the erasure into a new delivery.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Table,
    Text,
    and_,
    cast,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)

from ordino.events.store import RELAY_LOCK, webhook_deliveries
from ordino.inventory.store import inventory_movements
from ordino.kernel.domain import Event
from ordino.payments.store import balance_entries, balances, credit_accounts, payments
from ordino.pricing.engine import EVERYONE
from ordino.pricing.store import (
    bills,
    customs_declarations,
    promotion_redemptions,
    promotion_uses,
)
from ordino.privacy.domain.erasure import Erasure, Export, PersonalData
from ordino.privacy.store.tables import customer_exports, erasures
from ordino.returns.store import return_labels, return_lines, return_routes, returns
from ordino.sourcing.store import sourcing_decisions
from ordino.store.dialect import is_postgresql
from ordino.store.tables import idempotency_keys, jobs, outbox

# What a return's label becomes when its customer is erased (the addresses on it,
# however they are written, go with the rest); and what of a routing decision tells
# how far the customer lives from each place (its cost is distance times a rate).
ERASED_LABEL = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="105mm" height="148mm" '
    'viewBox="0 0 105 148"><text x="8" y="20" font-size="5">label erased</text></svg>'
)
_DISTANCES = ("km", "transport", "total")


class SqlErasures:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def hold_the_relay(self) -> None:
        """Wait for a running relay, and keep others out until this commits."""
        if is_postgresql(self.connection):
            self.connection.execute(select(func.pg_advisory_xact_lock(RELAY_LOCK)))

    def rewrite_events(self, order_ids: Sequence[str], personal: PersonalData) -> list[Event]:
        """Every event of the orders, rewritten; the events as they are now."""
        subjects = [f"order/{order_id}" for order_id in order_ids]
        query = select(outbox).where(outbox.c.subject.in_(subjects)).order_by(outbox.c.seq)
        rewritten = []
        for row in self.connection.execute(query).all():
            data = personal.document(row.data)
            self.connection.execute(update(outbox).where(outbox.c.id == row.id).values(data=data))
            rewritten.append(Event(row.id, row.type, row.occurred_at, row.subject, data, row.seq))
        return rewritten

    def rewrite_decisions(self, order_ids: Sequence[str], personal: PersonalData) -> int:
        """The orders' sourcing decisions: their explanations name distances to the
        customer."""
        s = sourcing_decisions.c
        found = self.connection.execute(
            select(s.order_id, s.seq, s.document).where(s.order_id.in_(order_ids))
        ).all()
        for row in found:
            where = (s.order_id == row.order_id, s.seq == row.seq)
            document = personal.document(row.document)
            self.connection.execute(
                update(sourcing_decisions).where(*where).values(document=document)
            )
        return len(found)

    def rewrite_deliveries(self, order_ids: Sequence[str], personal: PersonalData) -> int:
        """Every webhook delivery about the orders (delivered or waiting), found by its
        subject, so also once retention pruned its event: its body is erased as any
        document is; what a receiver answered is searched for the customer too."""
        d = webhook_deliveries.c
        subjects = [f"order/{order_id}" for order_id in order_ids]
        found = self.connection.execute(
            select(d.id, d.body, d.last_error).where(d.subject.in_(subjects))
        ).all()
        for row in found:
            body = json.dumps(personal.document(json.loads(row.body)))
            error = None if row.last_error is None else personal.free_text(row.last_error)
            self.connection.execute(
                update(webhook_deliveries).where(d.id == row.id).values(body=body, last_error=error)
            )
        return len(found)

    def rewrite_answers(self, order_ids: Sequence[str], personal: PersonalData) -> int:
        """The answers kept for idempotency keys about the orders (a retry gets the
        erased order); a key that holds a value of the customer's is replaced
        (`PersonalData.key`)."""
        k = idempotency_keys.c
        found = self.connection.execute(
            select(k.scope, k.key, k.body).where(k.order_id.in_(order_ids))
        ).all()
        for row in found:
            where = (k.scope == row.scope, k.key == row.key)
            values = {"body": personal.document(row.body), "key": personal.key(row.key)}
            self.connection.execute(update(idempotency_keys).where(*where).values(**values))
        return len(found)

    def rewrite_job_errors(self, order_ids: Sequence[str], personal: PersonalData) -> int:
        """The errors recorded for jobs about the orders (the worker's `last_error`)."""
        j = jobs.c
        query = select(j.id, j.last_error).where(
            _names(j.payload, order_ids), j.last_error.is_not(None)
        )
        found = self.connection.execute(query).all()
        for row in found:
            erased = personal.free_text(row.last_error)
            self.connection.execute(update(jobs).where(j.id == row.id).values(last_error=erased))
        return len(found)

    def rewrite_movements(self, order_ids: Sequence[str], personal: PersonalData) -> int:
        """The reasons of stock movements the orders caused, where they quote the
        customer or what someone wrote about the order (a cancellation's reason);
        Ordino's own ("fulfillment <id>") stay."""
        m = inventory_movements.c
        references = [f"order/{order_id}" for order_id in order_ids]
        query = select(m.id, m.reason).where(m.reference.in_(references), m.reason.is_not(None))
        rewritten = 0
        for row in self.connection.execute(query).all():
            reason = personal.free_text(row.reason)
            if reason != row.reason:
                where = m.id == row.id
                self.connection.execute(
                    update(inventory_movements).where(where).values(reason=reason)
                )
                rewritten += 1
        return rewritten

    def clear_card_tokens(self, order_ids: Sequence[str]) -> int:
        """The card tokens of the orders' payments (a gateway's reusable token; the
        sandbox's, a test card number): nothing more is asked of the cards. Amounts,
        status and the gateway's references stay."""
        p = payments.c
        cleared = (
            update(payments)
            .where(p.order_id.in_(order_ids), p.token.is_not(None))
            .values(token=None)
        )
        return int(self.connection.execute(cleared).rowcount)

    def forget_balances(
        self, emails: Sequence[str], tombstones: Sequence[str], personal: PersonalData
    ) -> int:
        """The customers' store credit and the credit account their email names (by
        `emails`) kept under `tombstones`, one per email, not the email: their
        balances (spent: the erasure waits for that), their entries (for the books,
        their notes erased), the tenders paid from them (of whatever order), the
        answers to the grants of their credit (found by the entries they made)."""
        forgotten = 0
        p, e = payments.c, balance_entries.c
        for email, tombstone in zip(emails, tombstones, strict=True):
            for kind in ("store_credit", "invoice"):
                account, buried = f"{kind}:{email}", f"{kind}:{tombstone}"
                entries = self.connection.execute(
                    select(e.id, e.note, e.order_id).where(e.account == account)
                ).all()
                for row in entries:
                    if row.note is not None:
                        erased = update(balance_entries).where(e.id == row.id)
                        self.connection.execute(erased.values(note=personal.text(row.note)))
                if grants := [row.id for row in entries if row.order_id is None]:
                    self.rewrite_answers(grants, personal)
                moves = [
                    update(balances).where(balances.c.account == account),
                    update(balance_entries).where(e.account == account),
                    update(payments).where(p.reference == account),
                ]
                for move in moves:
                    table = move.table
                    column = "reference" if table is payments else "account"
                    done = self.connection.execute(move.values({column: buried}))
                    forgotten += int(done.rowcount)
            named = update(credit_accounts).where(credit_accounts.c.account == email)
            forgotten += int(self.connection.execute(named.values(account=tombstone)).rowcount)
        return forgotten

    def rewrite_bills(self, order_ids: Sequence[str], personal: PersonalData) -> int:
        """The orders' invoices and credit notes: their buyer (name, email, address)
        erased; their numbers, amounts and taxes stay."""
        erased = self._erase_party(bills, bills.c.id, order_ids, personal, "buyer")
        b = bills.c
        paid = self.connection.execute(
            select(b.id, b.document).where(b.order_id.in_(order_ids))
        ).all()
        for row in paid:
            if row.document.get("tenders"):
                document = dict(row.document)
                document["tenders"] = personal.document(document["tenders"])
                self.connection.execute(
                    update(bills).where(b.id == row.id).values(document=document)
                )
        return erased

    def rewrite_returns(self, order_ids: Sequence[str], personal: PersonalData) -> int:
        """What the customer wrote on their returns (each line's note), why a return
        was declined, withdrawn or closed, where they quote the customer or what was
        written about the orders (cut to their columns' length); the addresses on
        the carriers' labels; the distances from their address in the returns'
        routing decisions. Reason codes, units and states stay."""
        r = returns.c
        theirs = select(r.id).where(r.order_id.in_(order_ids))
        rewritten = self._rewrite_column(returns, r.reason, r.id.in_(theirs), personal, 200)
        rl = return_lines.c
        rewritten += self._rewrite_column(
            return_lines, rl.note, rl.return_id.in_(theirs), personal, 500
        )
        lc = return_labels.c
        labels = self.connection.execute(
            update(return_labels)
            .where(lc.return_id.in_(theirs), lc.document != ERASED_LABEL)
            .values(document=ERASED_LABEL, media_type="image/svg+xml")
        )
        rewritten += labels.rowcount
        rc = return_routes.c
        for row in self.connection.execute(
            select(rc.id, rc.explanation).where(rc.return_id.in_(theirs))
        ).all():
            far = [
                line
                | dict.fromkeys(("cost", "sending_back"))
                | {"candidates": [c | dict.fromkeys(_DISTANCES) for c in line["candidates"]]}
                for line in row.explanation
            ]
            self.connection.execute(
                update(return_routes).where(rc.id == row.id).values(explanation=far)
            )
            rewritten += 1
        return rewritten

    def _rewrite_column(
        self,
        table: Table,
        column: Column[Any],
        about: ColumnElement[bool],
        personal: PersonalData,
        longest: int | None,
    ) -> int:
        """Each row's text in `column` without the customer (free text), cut to
        `longest`; the rows it changed."""
        key = list(table.primary_key.columns)
        rows = self.connection.execute(select(*key, column).where(about, column.is_not(None))).all()
        changed = 0
        for row in rows:
            before = row[-1]
            after = personal.free_text(before)[:longest]
            if after != before:
                where = and_(*(c == value for c, value in zip(key, row[:-1], strict=True)))
                self.connection.execute(update(table).where(where).values({column.name: after}))
                changed += 1
        return changed

    def rewrite_declarations(self, order_ids: Sequence[str], personal: PersonalData) -> int:
        """The orders' customs declarations: their importer (the recipient's name and
        address) erased; what was declared stays."""
        key = customs_declarations.c.fulfillment_id
        return self._erase_party(customs_declarations, key, order_ids, personal, "importer")

    def _erase_party(
        self,
        table: Table,
        key: Column[Any],
        order_ids: Sequence[str],
        personal: PersonalData,
        member: str,
    ) -> int:
        """The documents of `table` about the orders, their party `member` (a name,
        an email, an address) erased as a customer and an address are."""
        found = self.connection.execute(
            select(key, table.c.document).where(table.c.order_id.in_(order_ids))
        ).all()
        for row in found:
            document = dict(row.document)
            party = dict(document[member])
            address = party.pop("address")
            erased = personal.document({"customer": party, "ship_to": address})
            document[member] = erased["customer"] | {"address": erased["ship_to"]}
            self.connection.execute(update(table).where(key == row[0]).values(document=document))
        return len(found)

    def forget_promotion_customers(self, order_ids: Sequence[str], keys: Sequence[str]) -> int:
        """The customers' emails in the counts of promotions with a limit per customer:
        their counts go (erased, they count afresh), and their orders' uses are counted
        in all only (a cancellation gives back the use in all)."""
        r = promotion_redemptions.c
        self.connection.execute(
            update(promotion_redemptions)
            .where(r.order_id.in_(order_ids), r.customer != EVERYONE)
            .values(customer=EVERYONE)
        )
        u = promotion_uses.c
        gone = delete(promotion_uses).where(u.customer.in_(keys), u.customer != EVERYONE)
        return int(self.connection.execute(gone).rowcount)

    def add(self, erasure: Erasure) -> None:
        self.connection.execute(
            insert(erasures).values(
                id=erasure.id,
                erased_by=erasure.by,
                erased_at=erasure.at,
                orders=list(erasure.orders),
                records=erasure.records,
            )
        )

    def all(self, limit: int, before: str | None = None) -> list[Erasure]:
        """The erasures, the newest first (ids sort by time), from before `before`."""
        query = select(erasures).order_by(erasures.c.id.desc()).limit(limit)
        if before is not None:
            query = query.where(erasures.c.id < before)
        return [_erasure(row) for row in self.connection.execute(query)]

    def add_export(self, export: Export) -> None:
        values = {"exported_by": export.by, "exported_at": export.at}
        row = {"id": export.id, "orders": list(export.orders)} | values
        self.connection.execute(insert(customer_exports).values(**row))

    def exports(self, limit: int, before: str | None = None) -> list[Export]:
        """The exports, the newest first, from before `before`."""
        e = customer_exports.c
        query = select(customer_exports).order_by(e.id.desc()).limit(limit)
        if before is not None:
            query = query.where(e.id < before)
        return [
            Export(row.id, row.exported_by, row.exported_at, tuple(row.orders))
            for row in self.connection.execute(query)
        ]


def _names(document: Any, order_ids: Sequence[str]) -> Any:
    """A JSON column's text names one of the orders (ids are 32 hex digits: no other
    text matches them)."""
    return or_(*(cast(document, Text).like(f"%{order_id}%") for order_id in order_ids))


def _erasure(row: Any) -> Erasure:
    return Erasure(row.id, row.erased_by, row.erased_at, tuple(row.orders), dict(row.records))
