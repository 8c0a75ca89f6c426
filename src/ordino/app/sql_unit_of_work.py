"""The SQL unit of work: one connection and one transaction per attempt.

New rows and reservations are held until `commit()` and written there at once
(`ordino.store.commit_writer`); everything else is written as the repositories are called.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, Generic, Self, TypeVar, cast, overload

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from ordino.access.store.attempts import SqlAttempts
from ordino.access.store.keys import SqlApiKeys, SqlSessions, SqlUsers
from ordino.analytics.store.facts import SqlAnalytics
from ordino.events.store.outbox import SqlOutbox
from ordino.events.store.webhooks import SqlWebhooks
from ordino.inventory.store.audit import SqlAudit
from ordino.inventory.store.movements import SqlMovements
from ordino.inventory.store.positions import SqlInventory
from ordino.inventory.store.signals import SqlSignals
from ordino.inventory.store.supply import SqlSupply
from ordino.inventory.store.views import SqlViews
from ordino.kernel.domain.changes import Change
from ordino.kernel.domain.errors import LostRace
from ordino.network.domain.carriers import service_document, service_from_document
from ordino.network.domain.channels import channel_document, channel_from_document
from ordino.network.domain.costs import rate_card_document, rate_card_from_document
from ordino.network.store.catalogue import SqlCatalog, SqlNetwork
from ordino.network.store.geo import SqlGeo
from ordino.network.store.operations import SqlCapacity, SqlLocationCosts, SqlOperations
from ordino.network.store.tables import carrier_services, channels, rate_cards
from ordino.orchestration.store.breaches import SqlBreaches
from ordino.orders.domain.holds import hold_rule_document, hold_rule_from_document
from ordino.orders.domain.pipelines import order_type_document, order_type_from_document
from ordino.orders.store.order_types import SqlOrderTypeNames
from ordino.orders.store.repository import SqlOrders
from ordino.orders.store.tables import hold_rules, order_types, orders
from ordino.payments.store.accounts import SqlBalances, SqlCreditAccounts
from ordino.payments.store.repository import SqlPayments
from ordino.pricing.domain import TAX_SETTINGS, tax_settings_document, tax_settings_from_document
from ordino.pricing.store import (
    SqlBills,
    SqlCustomsRates,
    SqlDeclarations,
    SqlExchangeRates,
    SqlPromotions,
    SqlPromotionUses,
    SqlTaxRates,
)
from ordino.pricing.store import tax_settings as tax_settings_table
from ordino.privacy.store.erasure import SqlErasures
from ordino.promising.store.deliveries import SqlDeliveries
from ordino.returns.domain import POLICY_NAME as RETURN_POLICY
from ordino.returns.domain import policy_document as return_policy_document
from ordino.returns.domain import policy_from_document as return_policy_from_document
from ordino.returns.store import SqlReturns
from ordino.returns.store.tables import return_policies
from ordino.servicing.domain.self_service import POLICY_NAME, policy_document, policy_from_document
from ordino.servicing.store.tables import self_service_policies
from ordino.sourcing.store.decisions import SqlSourcingDecisions
from ordino.sourcing.store.profiles import SqlProfiles
from ordino.store.commit_writer import DEADLOCK, PendingWrites
from ordino.store.configuration import SqlConfigurationChanges
from ordino.store.idempotency import SqlIdempotency
from ordino.store.jobs import SqlJobs
from ordino.store.outbox_rows import SqlEvents
from ordino.store.server_keys import SqlServerKeys
from ordino.store.settings import SqlNamedDocuments

R = TypeVar("R")
T = TypeVar("T")


class _Repository(Generic[R]):
    """A repository of the unit of work, built on first use in an attempt (from the
    attempt's connection and its writes held until commit) and dropped with it."""

    def __init__(self, build: Callable[[Connection, PendingWrites], R]) -> None:
        self.build = build
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, uow: None, owner: type) -> Self: ...
    @overload
    def __get__(self, uow: SqlUnitOfWork, owner: type) -> R: ...
    def __get__(self, uow: SqlUnitOfWork | None, owner: type) -> R | Self:
        if uow is None:
            return self
        built = uow.built
        if self.name not in built:
            built[self.name] = self.build(uow.connection, uow.pending)
        return cast(R, built[self.name])


def _named(
    column: Any,
    codec: tuple[Callable[[str, dict[str, Any]], T], Callable[[T], dict[str, Any]]],
    name_of: Callable[[T], str],
    changed: str | None = None,
) -> Callable[[Connection, PendingWrites], SqlNamedDocuments[T]]:
    """Settings kept as one document per name; `changed`: what a process's picture of
    stock must forget when one changes (it holds them)."""

    def build(connection: Connection, pending: PendingWrites) -> SqlNamedDocuments[T]:
        def told() -> None:
            if changed is not None:
                setattr(pending.changes, changed, True)

        return SqlNamedDocuments(connection, column, codec, name_of, changed=told)

    return build


class SqlUnitOfWork:
    """`on_commit` hears what each commit changed, after it committed: the process's
    picture of stock forgets it there, before the use case answers. Each attempt
    (`with uow:`) has its own connection and transaction, and builds only the
    repositories it uses."""

    catalog = _Repository(lambda c, p: SqlCatalog(c, p.changes))
    network = _Repository(lambda c, p: SqlNetwork(c, p.changes))
    inventory = _Repository(SqlInventory)
    movements = _Repository(lambda c, p: SqlMovements(c, p.changes))
    audit = _Repository(lambda c, _p: SqlAudit(c))
    supply = _Repository(SqlSupply)
    views = _Repository(lambda c, p: SqlViews(c, p.changes))
    geo = _Repository(lambda c, p: SqlGeo(c, p.changes))
    signals = _Repository(lambda c, _p: SqlSignals(c))
    events = _Repository(lambda _c, p: SqlEvents(p))
    orders = _Repository(SqlOrders)
    idempotency = _Repository(SqlIdempotency)
    keys = _Repository(lambda c, p: SqlApiKeys(c, p.changes))
    users = _Repository(lambda c, _p: SqlUsers(c))
    sessions = _Repository(lambda c, _p: SqlSessions(c))
    attempts = _Repository(lambda c, _p: SqlAttempts(c))
    order_type_names = _Repository(lambda c, _p: SqlOrderTypeNames(c))
    server_keys = _Repository(lambda c, _p: SqlServerKeys(c))
    operations = _Repository(lambda c, p: SqlOperations(c, p.changes))
    carriers = _Repository(
        _named(
            carrier_services.c.code,
            (service_from_document, service_document),
            lambda service: service.code,
            changed="network",
        )
    )
    capacity = _Repository(lambda c, _p: SqlCapacity(c))
    deliveries = _Repository(lambda c, _p: SqlDeliveries(c, orders))
    # Pictures of stock hold profiles, rate cards and location costs too.
    profiles = _Repository(lambda c, p: SqlProfiles(c, p.changes))
    rate_cards = _Repository(
        _named(
            rate_cards.c.service,
            (rate_card_from_document, rate_card_document),
            lambda card: card.service,
            changed="network",
        )
    )
    location_costs = _Repository(lambda c, p: SqlLocationCosts(c, p.changes))
    sourcing = _Repository(SqlSourcingDecisions)
    jobs = _Repository(SqlJobs)
    outbox = _Repository(lambda c, _p: SqlOutbox(c))
    webhooks = _Repository(lambda c, _p: SqlWebhooks(c))
    payments = _Repository(SqlPayments)
    balances = _Repository(lambda c, _p: SqlBalances(c))
    credit_accounts = _Repository(lambda c, _p: SqlCreditAccounts(c))
    # Pictures keep the tax provider (its settings and rates) with the network's.
    tax_rates = _Repository(lambda c, p: SqlTaxRates(c, p.changes))
    promotions = _Repository(lambda c, p: SqlPromotions(c, p.changes))
    promotion_uses = _Repository(lambda c, _p: SqlPromotionUses(c))
    exchange_rates = _Repository(lambda c, p: SqlExchangeRates(c, p.changes))
    bills = _Repository(SqlBills)
    customs_rates = _Repository(lambda c, _p: SqlCustomsRates(c))
    declarations = _Repository(lambda c, _p: SqlDeclarations(c))
    tax_settings = _Repository(
        _named(
            tax_settings_table.c.name,
            (tax_settings_from_document, tax_settings_document),
            lambda _settings: TAX_SETTINGS,
            changed="network",
        )
    )
    breaches = _Repository(lambda c, _p: SqlBreaches(c))
    analytics = _Repository(lambda c, _p: SqlAnalytics(c))
    order_types = _Repository(
        _named(
            order_types.c.name,
            (order_type_from_document, order_type_document),
            lambda order_type: order_type.name,
        )
    )
    hold_rules = _Repository(
        _named(
            hold_rules.c.name, (hold_rule_from_document, hold_rule_document), lambda rule: rule.name
        )
    )
    # Pictures hold channels, with the views.
    channels = _Repository(
        _named(
            channels.c.name,
            (channel_from_document, channel_document),
            lambda channel: channel.name,
            changed="views",
        )
    )
    self_service_policy = _Repository(
        _named(
            self_service_policies.c.name,
            (policy_from_document, policy_document),
            lambda _policy: POLICY_NAME,
        )
    )
    returns = _Repository(lambda c, _p: SqlReturns(c))
    return_policy = _Repository(
        _named(
            return_policies.c.name,
            (return_policy_from_document, return_policy_document),
            lambda _policy: RETURN_POLICY,
        )
    )
    configuration_changes = _Repository(lambda c, _p: SqlConfigurationChanges(c))
    erasures = _Repository(lambda c, _p: SqlErasures(c))

    def __init__(self, engine: Engine, on_commit: Callable[[Change], None] | None = None) -> None:
        self.engine = engine
        self.on_commit = on_commit
        self._connection: Connection | None = None
        self.pending = PendingWrites()
        self.built: dict[str, object] = {}

    @property
    def connection(self) -> Connection:
        if self._connection is None:
            raise RuntimeError("a repository used outside the unit of work")
        return self._connection

    def __enter__(self) -> Self:
        connection = self.engine.connect()
        connection.begin()
        self._connection = connection
        self.pending = PendingWrites()
        self.built = {}
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        connection, self._connection = self._connection, None
        self.built = {}
        if connection is not None:
            connection.rollback()  # a no-op after commit
            connection.close()
        # Chosen to end a deadlock, wherever the statement was: a lost race, tried again.
        if isinstance(exc, DBAPIError) and getattr(exc.orig, "sqlstate", None) == DEADLOCK:
            raise LostRace("deadlock") from exc

    def commit(self) -> None:
        if self._connection is None:
            raise RuntimeError("commit outside the unit of work")
        change = self.pending.flush(self._connection)  # LostRace: nothing is committed
        self._connection.commit()
        if self.on_commit is not None and not change.empty:
            self.on_commit(change)
