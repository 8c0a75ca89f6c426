"""The SQL unit of work: one connection and one transaction per attempt.

New rows and reservations are held until `commit()` and written there at once
(`ordino.store.pending`); everything else is written as the repositories are called.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine

from ordino.access.store.attempts import SqlAttempts
from ordino.analytics.store.facts import SqlAnalytics
from ordino.events.store.webhooks import SqlWebhooks
from ordino.inventory.store.movements import SqlMovements
from ordino.inventory.store.positions import SqlInventory
from ordino.inventory.store.signals import SqlSignals
from ordino.inventory.store.supply import SqlSupply
from ordino.inventory.store.views import SqlViews
from ordino.kernel.domain.changes import Change
from ordino.network.domain.carriers import service_document, service_from_document
from ordino.network.domain.channels import channel_document, channel_from_document
from ordino.network.domain.costs import rate_card_document, rate_card_from_document
from ordino.network.store.catalogue import SqlCatalog, SqlNetwork
from ordino.network.store.geo import SqlGeo
from ordino.network.store.operations import SqlCapacity, SqlLocationCosts, SqlOperations
from ordino.orchestration.store.breaches import SqlBreaches
from ordino.orders.domain.holds import hold_rule_document, hold_rule_from_document
from ordino.orders.domain.pipelines import order_type_document, order_type_from_document
from ordino.orders.store.orders import SqlOrders
from ordino.payments.store.payments import SqlPayments
from ordino.privacy.store.erasure import SqlErasures
from ordino.promising.store.deliveries import SqlDeliveries
from ordino.servicing.domain.self_service import POLICY_NAME, policy_document, policy_from_document
from ordino.sourcing.store.decisions import SqlSourcingDecisions
from ordino.sourcing.store.profiles import SqlProfiles
from ordino.store.audit import SqlAudit
from ordino.store.configuration import SqlConfigurationChanges
from ordino.store.documents import SqlNamedDocuments
from ordino.store.jobs import SqlJobs
from ordino.store.outbox import SqlOutbox
from ordino.store.outbox_rows import SqlEvents
from ordino.store.pending import PendingWrites
from ordino.store.records import (
    SqlApiKeys,
    SqlIdempotency,
    SqlServerKeys,
    SqlSessions,
    SqlUsers,
)
from ordino.store.tables import (
    carrier_services,
    channels,
    hold_rules,
    order_types,
    rate_cards,
    self_service_policies,
)


class SqlUnitOfWork:
    """`on_commit` hears what each commit changed, after it committed: the process's
    picture of stock forgets it there, before the use case answers."""

    def __init__(self, engine: Engine, on_commit: Callable[[Change], None] | None = None) -> None:
        self.engine = engine
        self.on_commit = on_commit
        self._connection: Connection | None = None

    def __enter__(self) -> Self:
        connection = self.engine.connect()
        connection.begin()
        self._connection = connection
        self._pending = PendingWrites()
        changes = self._pending.changes
        self.catalog = SqlCatalog(connection, changes)
        self.network = SqlNetwork(connection, changes)
        self.inventory = SqlInventory(connection, self._pending)
        self.movements = SqlMovements(connection, changes)
        self.audit = SqlAudit(connection)
        self.supply = SqlSupply(connection, self._pending)
        self.views = SqlViews(connection, changes)
        self.geo = SqlGeo(connection, changes)
        self.signals = SqlSignals(connection)
        self.events = SqlEvents(self._pending)
        self.orders = SqlOrders(connection, self._pending)
        self.idempotency = SqlIdempotency(connection, self._pending)
        self.keys = SqlApiKeys(connection, changes)
        self.users = SqlUsers(connection)
        self.sessions = SqlSessions(connection)
        self.attempts = SqlAttempts(connection)
        self.server_keys = SqlServerKeys(connection)
        self.operations = SqlOperations(connection, changes)
        self.carriers = SqlNamedDocuments(
            connection,
            carrier_services.c.code,
            (service_from_document, service_document),
            lambda service: service.code,
            changed=lambda: setattr(changes, "network", True),  # pictures hold them
        )
        self.capacity = SqlCapacity(connection)
        self.deliveries = SqlDeliveries(connection)
        # Pictures hold profiles, rate cards and location costs too.
        self.profiles = SqlProfiles(connection, changes)
        self.rate_cards = SqlNamedDocuments(
            connection,
            rate_cards.c.service,
            (rate_card_from_document, rate_card_document),
            lambda card: card.service,
            changed=lambda: setattr(changes, "network", True),
        )
        self.location_costs = SqlLocationCosts(connection, changes)
        self.sourcing = SqlSourcingDecisions(connection, self._pending)
        self.jobs = SqlJobs(connection, self._pending)
        self.outbox = SqlOutbox(connection)
        self.webhooks = SqlWebhooks(connection)
        self.payments = SqlPayments(connection, self._pending)
        self.breaches = SqlBreaches(connection)
        self.analytics = SqlAnalytics(connection)
        self.order_types = SqlNamedDocuments(
            connection,
            order_types.c.name,
            (order_type_from_document, order_type_document),
            lambda order_type: order_type.name,
        )
        self.hold_rules = SqlNamedDocuments(
            connection,
            hold_rules.c.name,
            (hold_rule_from_document, hold_rule_document),
            lambda rule: rule.name,
        )
        self.channels = SqlNamedDocuments(
            connection,
            channels.c.name,
            (channel_from_document, channel_document),
            lambda channel: channel.name,
            changed=lambda: setattr(changes, "views", True),  # pictures hold them, with views
        )
        self.self_service_policy = SqlNamedDocuments(
            connection,
            self_service_policies.c.name,
            (policy_from_document, policy_document),
            lambda _policy: POLICY_NAME,
        )
        self.configuration_changes = SqlConfigurationChanges(connection)
        self.erasures = SqlErasures(connection)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.rollback()  # a no-op after commit
            connection.close()

    def commit(self) -> None:
        if self._connection is None:
            raise RuntimeError("commit outside the unit of work")
        change = self._pending.flush(self._connection)  # LostRace: nothing is committed
        self._connection.commit()
        if self.on_commit is not None and not change.empty:
            self.on_commit(change)
