"""Invoices and credit notes of an order (`ordino.pricing.domain.invoices`): an
invoice issued with each shipment, in the transaction in which its goods leave (so
its number is taken, or given back, with it), and the capture of that shipment is
its total; a credit note issued with each refund the gateway made, in the
transaction that records it.

The seller printed is the tax settings'; the series, one per installation
(`ENTITY`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from ordino.kernel.domain import InvalidInput, NotFound, new_id, quantize
from ordino.orchestration.services.ports import OrchestrationWork
from ordino.orchestration.services.tenders import share_capture
from ordino.orders.domain import EVERY_ORDER, Fulfillment, Order, OrderScope
from ordino.orders.services import existing_order
from ordino.pricing.domain import (
    TAX_SETTINGS,
    Bill,
    BilledPart,
    BillKind,
    PaidWith,
    Party,
    PricedLine,
    TaxAsked,
    TaxSettings,
    billed_charge,
    billed_units,
    credit_parts,
    creditable,
    parts_from,
    retaxed,
)
from ordino.pricing.services import TaxedFor, rates_changed, taxed_again

# The selling entity whose series the documents are numbered in: one per installation
# (the tax settings' seller), whatever its VAT id becomes (a series that restarted
# when the seller gave its VAT id would number two invoices alike).
ENTITY = "default"


def invoice_shipment(uow: OrchestrationWork, order: Order, fo: Fulfillment, now: datetime) -> Bill:
    """In the caller's transaction: the invoice of what the fulfillment order took as
    it left (its units at what they were paid; the order's charges with the first),
    numbered in its seller's series as the transaction commits (the bill returned has
    no number yet), its total shared among the order's tenders (each part but a
    card's captured now: `ordino.orchestration.services.tenders`)."""
    first = order.carries_charges(fo)  # and its units numbered
    _taxed_on_the_day(uow, order, fo, first, now)
    parts: list[BilledPart] = []
    for fl in fo.lines:
        if fl.quantity and fl.first_unit is not None:
            parts.append(billed_units(order.line(fl.line_no).price, fl.first_unit, fl.quantity))
    if first:
        parts += [billed_charge(charge, k) for k, charge in enumerate(order.charges)]
    total = sum((p.total for p in parts), quantize(Decimal(0), order.currency))
    tenders = share_capture(uow, order, fo.id, total, now)
    draft = _draft(uow, order, parts, now, BillKind.INVOICE)
    due = _due(uow, order, tenders, now)
    invoice = replace(draft, fulfillment_id=fo.id, tenders=tenders, due_on=due)
    uow.bills.issue(invoice)
    return invoice


def _due(
    uow: OrchestrationWork, order: Order, tenders: tuple[PaidWith, ...], now: datetime
) -> date | None:
    """By when an invoice bought on account is to be paid: its account's terms from
    today (the channel's day); none when no account with terms pays it."""
    on_account = [t for t in tenders if t.method == "invoice" and t.reference]
    found = [uow.credit_accounts.get(t.reference or "") for t in on_account]
    terms = [account.terms_days for account in found if account is not None]
    if not terms:
        return None
    channel = uow.channels.get(order.channel)
    today = channel[0].today(now) if channel else now.date()
    return today + timedelta(days=min(terms))


def _taxed_on_the_day(
    uow: OrchestrationWork, order: Order, fo: Fulfillment, charges: bool, now: datetime
) -> None:
    """The units leaving (and the charges, with the first parcel) taxed at the rates
    of the day they leave, when those are not the ones they were taxed at (a rate
    changed since the order): the order's tax adjusted (`order.tax_adjusted`), the
    units invoiced before keeping theirs. A provider that cannot answer now leaves
    the tax worked out at capture: the goods have left."""
    found = uow.channels.get(order.channel)
    if order.tax_treatment is None or found is None:
        return
    channel = found[0]
    today, placed = channel.today(now), channel.today(order.created_at)
    if today == placed or not rates_changed(uow, order.ship_to.country, placed, today):
        return  # the rates of the order's day
    to = TaxedFor(order.ship_to.country, order.customer.vat_id, today)
    try:
        again = taxed_again(uow, order.money, channel, to)
    except InvalidInput:
        return
    if again is None or again.tax_treatment != order.tax_treatment:
        return  # taxed otherwise now (the seller changed): as worked out at capture
    leaving = {fl.line_no: fl.first_unit for fl in fo.lines if fl.first_unit is not None}
    lines = tuple(
        _leaving_taxed(line, new, leaving[line.line_no]) if line.line_no in leaving else line
        for line, new in zip(order.money.lines, again.lines, strict=True)
    )
    money = replace(order.money, lines=lines, charges=again.charges if charges else order.charges)
    why = f"taxed at the rates of {today}, the day it left"
    order.retax(money, why, now, leaving, {"fulfillment_id": fo.id, "from_units": leaving})


def _leaving_taxed(line: PricedLine, new: PricedLine, first: int) -> PricedLine:
    """The line with its units from `first` on taxed as `new` taxes the line, when
    that is not how those units are taxed now."""
    asked = [TaxAsked(t.jurisdiction, t.rate, t.inclusive) for t in new.taxes]
    now_keys = {
        (t.jurisdiction, t.rate, t.inclusive)
        for t in line.taxes
        if t.per_unit.part(first, line.quantity - first).total
    }
    if now_keys == {(a.jurisdiction, a.rate, a.inclusive) for a in asked if a.rate}:
        return line
    return retaxed(line, first, asked)


def credit_refund(
    uow: OrchestrationWork,
    order: Order,
    refund_id: str,
    amount: Decimal,
    now: datetime,
    tenders: tuple[PaidWith, ...] = (),
) -> None:
    """In the caller's transaction: the credit note of a refund made (once; none for
    nothing refunded): the amount over what the refund gives back, when it said
    (`Bills.intended`: a return's units, the shipping: their own taxes), else over
    what the order's invoices billed and no credit note gave back yet. What goes
    past that (an order invoiced before Ordino issued invoices) is credited as a
    refund without tax."""
    if amount <= 0 or uow.bills.of_refund(refund_id) is not None:
        return
    basis = uow.bills.intended(refund_id)
    billed = [p for doc in uow.bills.of_order(order.id, BillKind.INVOICE) for p in parts_from(doc)]
    given = [
        p for doc in uow.bills.of_order(order.id, BillKind.CREDIT_NOTE) for p in parts_from(doc)
    ]
    if basis is not None:  # a refund of known parts credits those, with their taxes
        billed, given = list(basis), []
    within = min(amount, creditable(billed, given))
    parts = list(credit_parts(within, order.currency, billed, given))
    if amount > within:
        beyond, nothing = amount - within, quantize(Decimal(0), order.currency)
        parts.append(BilledPart("refund", "refund", None, None, None, None, nothing, beyond, ()))
    credit_note = replace(_draft(uow, order, parts, now, BillKind.CREDIT_NOTE), refund_id=refund_id)
    uow.bills.issue(replace(credit_note, tenders=tenders))


def _draft(
    uow: OrchestrationWork, order: Order, parts: list[BilledPart], now: datetime, kind: BillKind
) -> Bill:
    """The order's document of `parts` (a shipment's invoice, a refund's credit
    note), from the seller the settings name to the order's buyer, to be numbered in
    the installation's series as it is issued."""
    names = uow.catalog.names(p.sku for p in parts if p.sku)
    return Bill(
        new_id(now),
        kind,
        ENTITY,
        order.id,
        order.currency,
        now,
        tuple(parts),
        _party(_seller(uow)),
        _buyer(order),
        order.tax_treatment,
        names=names,
    )


def order_bills(
    order_id: str, uow: OrchestrationWork, scope: OrderScope = EVERY_ORDER
) -> dict[str, Any]:
    """The order's invoices and credit notes, as issued, oldest first."""
    with uow:
        order = existing_order(uow, order_id, scope)
        return {"items": uow.bills.of_order(order.id)}


def get_bill(
    bill_id: str, uow: OrchestrationWork, scope: OrderScope = EVERY_ORDER
) -> dict[str, Any]:
    """One invoice or credit note (NotFound, too, when it is of an order the caller
    may not see)."""
    with uow:
        missing = NotFound(f"no invoice or credit note {bill_id}")
        found = uow.bills.get(bill_id)
        if found is None:
            raise missing
        try:
            existing_order(uow, found["order_id"], scope)
        except NotFound:  # of an order the caller may not see: as if there were none
            raise missing from None
        return found


def _seller(uow: OrchestrationWork) -> TaxSettings | None:
    found = uow.tax_settings.get(TAX_SETTINGS)
    return None if found is None else found[0]


def _party(seller: TaxSettings | None) -> Party:
    if seller is None:
        return Party()
    return Party(seller.name, seller.seller_country, seller.vat_id, None, seller.address)


def _buyer(order: Order) -> Party:
    customer, address = order.customer, order.bill_to or order.ship_to
    name = customer.name or address.name
    return Party(name, address.country, customer.vat_id, customer.email, address)
