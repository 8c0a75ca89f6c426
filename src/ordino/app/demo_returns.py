"""The demo's returns: a return policy (30 days, 60 through the app; a return
shipping fee unless the merchant erred; returns worth under 500 authorised at once;
another size of the same style in exchange, placed once the goods are back) and its
routing (the nearest place that sells the goods, or needs them; DHL for what
is sent by carrier), so a return can be tried from the customer's page."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ordino.app.demo_money import as_the_demos
from ordino.app.unit_of_work import UnitOfWork
from ordino.kernel.domain.configuration import ConfigurationKind
from ordino.returns.domain import (
    POLICY_NAME,
    ExchangeTerms,
    RefundTerms,
    ReturnPolicy,
    ReturnWindow,
    RoutingProfile,
    policy_document,
)


def demo_return_policy() -> ReturnPolicy:
    return ReturnPolicy(
        windows=(ReturnWindow(30), ReturnWindow(60, channel="app")),
        auto_approve="return.value < 500.0",
        routing=RoutingProfile(parcel_cost=Decimal("4.90"), carrier="dhl"),
        refunds=RefundTerms(return_shipping_fee=Decimal("2.95")),
        exchanges=ExchangeTerms(allowed=True),
    )


def load_demo_returns(uow: UnitOfWork, now: datetime) -> None:
    policy = demo_return_policy()
    uow.return_policy.put(policy, now)
    what = (ConfigurationKind.RETURN_POLICY, POLICY_NAME, 1)
    as_the_demos(uow, what, policy_document(policy), now)
