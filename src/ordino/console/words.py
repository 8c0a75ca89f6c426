"""What the pages call things, in words people use (translated by the catalogues):
the events of an order's timeline, who did them, the parts of a sourcing cost, and
an order's state in a shopper's words. Codes stay in the API; the pages say them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ordino.console.menu import N_

EVENTS = {
    "order.created": N_("Order placed"),
    "order.allocated": N_("Units allocated"),
    "order.allocation_rejected": N_("A location turned units down"),
    "order.backorder_expected": N_("Date expected for waiting units"),
    "order.cancelled": N_("Order cancelled"),
    "order.lines_cancelled": N_("Units cancelled"),
    "order.held": N_("Put on hold"),
    "order.hold_released": N_("Hold released"),
    "order.hold_cancelled": N_("Hold ended with the order"),
    "order.address_changed": N_("Delivery address changed"),
    "order.tax_adjusted": N_("Tax worked out again"),
    "order.appeased": N_("Goodwill refund given"),
    "order.converted_to_pickup": N_("Changed to a pickup at a store"),
    "order.pickup_store_changed": N_("Pickup store changed"),
    "order.delivered": N_("Delivered"),
    "order.note_added": N_("Note"),
    "order.notification_resent": N_("Customer's notification sent again"),
    "fulfillment.released": N_("Released to the location"),
    "fulfillment.accepted": N_("Accepted by the location"),
    "fulfillment.rejected": N_("Rejected by the location"),
    "fulfillment.split": N_("Fulfilment split"),
    "fulfillment.changed": N_("Fulfilment changed"),
    "fulfillment.cancelled": N_("Fulfilment cancelled"),
    "fulfillment.picked": N_("Picked"),
    "fulfillment.packed": N_("Packed"),
    "fulfillment.shipped": N_("Shipped"),
    "fulfillment.delivered": N_("Delivered"),
    "fulfillment.ready_for_pickup": N_("Ready for pickup"),
    "fulfillment.picked_up": N_("Collected by the customer"),
    "fulfillment.not_collected": N_("Not collected"),
    "fulfillment.sla_breached": N_("Service level missed"),
    "payment.authorised": N_("Payment authorised"),
    "payment.declined": N_("Payment declined"),
    "payment.captured": N_("Payment captured"),
    "payment.capture_declined": N_("Capture declined"),
    "payment.voided": N_("Payment voided"),
    "payment.void_declined": N_("Void declined"),
    "payment.refund_requested": N_("Refund asked for"),
    "payment.refunded": N_("Payment refunded"),
    "payment.refund_declined": N_("Refund declined"),
    "return.requested": N_("Return requested"),
    "return.authorised": N_("Return authorised"),
    "return.declined": N_("Return declined"),
    "return.cancelled": N_("Return withdrawn"),
    "return.label_created": N_("Return label booked"),
    "return.in_transit": N_("Return on its way back"),
    "return.received": N_("Returned goods received"),
    "return.refunded": N_("Return refunded"),
    "return.exchanged": N_("Exchange order placed"),
    "return.exchange_refused": N_("Exchange not possible: refunded instead"),
    "return.closed": N_("Return closed"),
}

# Those who act without a key or a user name.
ACTORS = {
    "ordino": N_("Ordino"),
    "customer": N_("the customer"),
    "gateway": N_("the payment gateway"),
    "policy:auto_approve": N_("the return policy's rule"),  # ordino.returns APPROVED_BY_POLICY
}

# How an order is paid, tender by tender.
TENDERS = {
    "card": N_("card"),
    "gift_card": N_("gift card"),
    "store_credit": N_("store credit"),
    "invoice": N_("on account"),
    "marketplace": N_("paid on the marketplace"),
}

COST_PARTS = {
    "shipping": N_("shipping"),
    "handling": N_("handling"),
    "labour": N_("labour"),
    "margin": N_("margin"),
    "packages": N_("packages"),
    "lateness": N_("lateness"),
    "total": N_("total"),
}

# A line or an order in a shopper's words: how far it is on its way to them.
SHOPPER = {
    "placed": N_("received"),
    "allocated": N_("being prepared"),
    "released": N_("being prepared"),
    "backordered": N_("waiting for stock"),
    "partially_shipped": N_("partly on its way"),
    "shipped": N_("on its way"),
    "partially_fulfilled": N_("partly with you"),
    "fulfilled": N_("with you"),
    "cancelled": N_("cancelled"),
}


# A parcel (a fulfillment order) in a shopper's words.
PARCEL = {
    "released": N_("being prepared"),
    "accepted": N_("being prepared"),
    "picked": N_("being prepared"),
    "packed": N_("being prepared"),
    "shipped": N_("on its way"),
    "delivered": N_("delivered"),
    "ready": N_("ready for you to collect"),
    "picked_up": N_("collected"),
    "not_collected": N_("not collected"),
}

# A return in its customer's words: where it stands, how it travels, where its
# refunds go; and the policy's own reasons (those a merchant writes are theirs).
SHOPPER_RETURN = {
    "requested": N_("asked for: we will let you know"),
    "authorised": N_("accepted: bring or send the items back"),
    "in_transit": N_("on its way back to us"),
    "received_in_part": N_("partly received"),
    "received": N_("received"),
    "closed": N_("done"),
    "declined": N_("declined"),
    "cancelled": N_("withdrawn"),
}
RETURN_METHODS = {
    "store": N_("I bring it to a store"),
    "carrier_drop_off": N_("I hand it in at a parcel point"),
    "carrier_pickup": N_("A carrier collects it from me"),
    "mail": N_("I post it with a return label"),
}
INITIATORS = {  # who started a return
    "customer": N_("the customer, on their page"),
    "agent": N_("customer service"),
    "store": N_("a store, at its counter"),
    "channel": N_("the sales channel"),
}
# Why Ordino closed a return (ordino.returns.services: REFUNDED, NOTHING_CAME_BACK,
# FEES_KEEP_IT_ALL); a person's reason is shown as they wrote it.
RETURN_NOTES = (
    N_("refunded"),
    N_("nothing came back to refund"),
    N_("nothing to refund: the policy's fees keep it all"),
)
REFUND_TO = {
    "original": N_("Back to how I paid"),
    "store_credit": N_("As store credit, to spend again"),
}
REASON_LABELS = (
    N_("Changed my mind"),
    N_("Wrong size or fit"),
    N_("Arrived damaged"),
    N_("Wrong item sent"),
    N_("Not as described"),
)


def event(event_type: str) -> str:
    """The words for an event (to translate); one not known yet, spelled out."""
    spelled = event_type.rpartition(".")[2].replace("_", " ").capitalize()
    return EVENTS.get(event_type) or spelled


def actor(by: str, names: Mapping[str, str], gettext: Callable[[str], str]) -> str:
    """Who did it, as a person reads it: a user by name, a key by the name it was
    given (else the end of its id), a rule by its name, Ordino, the customer."""
    kind, _, rest = by.partition(":")
    if by in ACTORS:
        return gettext(ACTORS[by])
    if kind == "user":
        return rest
    if kind == "key":
        name = names.get(by)
        if name == "ORDINO_ADMIN_KEY":
            return name
        return gettext("key %(name)s") % {"name": name or f"…{rest[-6:]}"}
    if kind == "rule":
        return gettext("rule %(name)s") % {"name": rest.split("@")[0]}
    return by


def cost_parts(cost: Mapping[str, object]) -> list[tuple[str, object]]:
    """A plan's cost, part by part in one order (the total last) whatever order it
    was stored in, each part's words (to translate) with its amount."""
    known = [(COST_PARTS[part], cost[part]) for part in COST_PARTS if part in cost]
    return known + [(part, value) for part, value in cost.items() if part not in COST_PARTS]


def tender(method: str) -> str:
    return TENDERS.get(method, method)


def shopper(status: str) -> str:
    return SHOPPER.get(status, status)


def shopper_parcel(status: str) -> str:
    return PARCEL.get(status, status)


def shopper_return(status: str) -> str:
    return SHOPPER_RETURN.get(status, status)


def return_method(method: str) -> str:
    return RETURN_METHODS.get(method, method)


def initiator(who: str) -> str:
    return INITIATORS.get(who, who)


def refund_to(where: str) -> str:
    return REFUND_TO.get(where, where)


# A sourcing decision: why it was made, and how it came out (codes of
# ordino.sourcing.services.requests and ordino.sourcing.engine.rules.Outcome).
REASONS = {"capture": N_("capture"), "reroute": N_("reroute"), "supply": N_("supply")}
OUTCOMES = {
    "sourced": N_("sourced"),
    "backordered": N_("backordered"),
    "refused": N_("refused"),
}
# Ordino's own profile and strategies (ordino.sourcing.domain.profiles.DEFAULT_PROFILE); the
# names of the profiles people write are theirs, shown as they wrote them.
BUILT_IN_NAMES = {
    "built-in": N_("built-in"),
    "whole lines": N_("whole lines"),
    "split lines": N_("split lines"),
}
CUSTOMERS_CHOICE = "customer's choice: "  # ordino.promising.engine.sites.chosen_by_customer


def decision(explained: Mapping[str, Any], gettext: Callable[[str], str]) -> list[str]:
    """A sourcing decision's parts in words: why, by which profile and strategy (or
    the customer's choice), and how it came out."""
    parts = [gettext(REASONS.get(explained["reason"], explained["reason"]))]
    profile = explained.get("profile")
    if profile:
        name = _named(profile["name"], gettext)
        parts.append(
            gettext("profile %(name)s, version %(version)s")
            % {"name": name, "version": profile["version"]}
        )
    strategy = str(explained.get("strategy") or "")
    if strategy.startswith(CUSTOMERS_CHOICE):
        option = strategy.removeprefix(CUSTOMERS_CHOICE)
        parts.append(gettext("the customer's choice: %(option)s") % {"option": option})
    elif strategy:
        parts.append(gettext("strategy %(name)s") % {"name": _named(strategy, gettext)})
    outcome = explained["outcome"]
    parts.append(gettext(OUTCOMES.get(outcome, outcome)))
    return parts


def _named(name: str, gettext: Callable[[str], str]) -> str:
    return gettext(BUILT_IN_NAMES[name]) if name in BUILT_IN_NAMES else name
