"""The FastAPI application: wiring of settings, storage, engines and routes."""

from __future__ import annotations

import gc
import os
import secrets
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from functools import partial
from typing import Any

from anyio import to_thread
from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from sqlalchemy import Engine

from ordino import __version__
from ordino.access.api import configuration as access_configuration
from ordino.access.api import keys as access_keys
from ordino.access.services.keys import authenticate
from ordino.access.services.sessions import ConsoleSessions
from ordino.analytics.api import dashboard as analytics_dashboard
from ordino.app import pages, periodic
from ordino.app.job_handlers import Outside, handlers
from ordino.app.sql_unit_of_work import SqlUnitOfWork
from ordino.config import Settings
from ordino.events.adapters.http_delivery import post_json
from ordino.events.adapters.nats import NatsPublisher
from ordino.events.api import webhooks as events_webhooks
from ordino.http import problems, request_guard
from ordino.http.logs import redact_access_log
from ordino.http.security import KeyCache
from ordino.inventory.api import availability as inventory_availability
from ordino.inventory.api import products as inventory_products
from ordino.inventory.api import stock as inventory_stock
from ordino.inventory.api import supply as inventory_supply
from ordino.inventory.services.stock_cache import StockPicture
from ordino.kernel.domain.changes import Change
from ordino.kernel.services.server_keys import ServerKeys
from ordino.network.adapters.sandbox_carrier import SandboxCarrier
from ordino.network.api import channels as network_channels
from ordino.network.api import operations as network_operations
from ordino.network.api import routes as network_routes
from ordino.orchestration.api import deliveries as orchestration_deliveries
from ordino.orchestration.api import fulfillments as orchestration_fulfillments
from ordino.orchestration.api import invoices as orchestration_invoices
from ordino.orchestration.api import jobs as orchestration_jobs
from ordino.orchestration.api import orders as orchestration_orders
from ordino.orchestration.api import pipelines as orchestration_pipelines
from ordino.orchestration.api import refunds as orchestration_refunds
from ordino.orchestration.services.worker import Worker
from ordino.orders.api import routes as orders_routes
from ordino.orders.services.capture import Capture
from ordino.payments.adapters.sandbox import SandboxGateway
from ordino.payments.api import balances as payments_balances
from ordino.payments.api import credit as payments_credit
from ordino.pricing.api import promotions as pricing_promotions
from ordino.pricing.api import quotes as pricing_quotes
from ordino.pricing.api import tax as pricing_tax
from ordino.privacy.api import customer_data as privacy_customer_data
from ordino.promising.api import routes as promising_routes
from ordino.promising.services.promises import Promising
from ordino.promising.services.transit_models import LearnedTransit, load_model
from ordino.returns.api import returns as returns_routes
from ordino.servicing.api import orders as servicing_orders
from ordino.servicing.api import self_service as servicing_self_service
from ordino.servicing.services.links import Links
from ordino.servicing.services.self_service import SelfService
from ordino.sourcing.api import routes as sourcing_routes
from ordino.sourcing.engine.choice import RulesEngine
from ordino.store.change_feed import change_feed
from ordino.store.engine import make_engine

# Matched in order: the hottest first (availability reads, then orders).
ROUTERS = (
    inventory_availability.router,
    orders_routes.router,
    orchestration_orders.router,
    servicing_orders.router,
    orchestration_refunds.router,
    returns_routes.router,
    orchestration_invoices.router,
    payments_balances.router,
    payments_balances.credit_router,
    payments_credit.router,
    orchestration_fulfillments.router,
    orchestration_pipelines.router,
    orchestration_deliveries.router,
    network_routes.router,
    inventory_products.router,
    inventory_stock.router,
    inventory_stock.feeds,
    inventory_supply.router,
    promising_routes.router,
    network_operations.router,
    sourcing_routes.router,
    network_channels.router,
    pricing_tax.router,
    pricing_promotions.router,
    pricing_quotes.router,
    orchestration_jobs.router,
    events_webhooks.router,
    analytics_dashboard.router,
    servicing_self_service.router,
    access_configuration.router,
    privacy_customer_data.router,
    access_keys.router,
)


def _now() -> datetime:
    return datetime.now(UTC)


def _transit(settings: Settings) -> LearnedTransit | None:
    """The learned transit times, if a model is named: read at start (a model that
    cannot be read stops the start, rather than promise silently without it)."""
    if settings.transit_model is None:
        return None
    return LearnedTransit(load_model(settings.transit_model), settings.promise_confidence)


def _outside(settings: Settings, engine: Engine) -> Outside:
    """Webhook receivers (public ones only, unless allowed; their secrets sealed with
    the server's keys) and the payment gateway (the only one so far: the sandbox,
    docs/orchestration.md)."""
    post = partial(post_json, allow_private=settings.webhook_allow_private)
    return Outside(
        post, SandboxGateway(engine), ServerKeys(settings.sealing_keys), SandboxCarrier(engine)
    )


def _background(
    settings: Settings,
    uow: Callable[[], SqlUnitOfWork],
    capture: Capture,
    clock: Callable[[], datetime],
    outside: Outside,
    publisher: NatsPublisher | None,
) -> list[periodic.Every]:
    """What the process does on its own: signals, jobs, the relay."""
    sqlite = uow().engine.dialect.name == "sqlite"
    worker = Worker(
        f"{socket.gethostname()}:{os.getpid()}:api",
        uow,
        clock,
        handlers(uow, capture, outside, clock),
    )
    loops = [
        periodic.signals(settings.signal_seconds, uow, clock, sqlite),
        periodic.jobs(settings.worker_seconds, worker),
    ]
    loops.append(periodic.relay(settings.relay_seconds, uow, publisher, clock))
    loops.append(periodic.pruning(settings.prune_seconds, uow, settings.retention, clock))
    return loops


def _who_asks(
    state: Any,
    key_cache: KeyCache,
    uow: Callable[[], SqlUnitOfWork],
    clock: Callable[[], datetime],
    admin_key: str | None,
) -> None:
    """How the frames find who is asking: the API's guard a key (access's use case,
    each key found remembered by the process), the console a session."""
    state.key_cache = key_cache
    state.authenticate = lambda secret: authenticate(secret, uow(), admin_key)
    state.sessions = ConsoleSessions(uow, clock, admin_key)


def create_app(settings: Settings | None = None, clock: Callable[[], datetime] = _now) -> FastAPI:
    settings = settings or Settings.from_env()
    redact_access_log()
    engine = make_engine(settings.database_url, settings.pool_size)
    picture = StockPicture(settings.cache_positions)
    key_cache = KeyCache()

    def heard(change: Change) -> None:
        picture.forget(change)
        key_cache.heard(change)

    feed = change_feed(engine, heard)

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(engine, on_commit=heard)

    promising = Promising(picture, transit=_transit(settings))
    capture = Capture(RulesEngine(), picture, promising)
    publisher = None
    if settings.broker_url:
        max_age = settings.broker_max_age_days * 86_400
        publisher = NatsPublisher(settings.broker_url, max_age=max_age)
    outside = _outside(settings, engine)
    loops = _background(settings, uow, capture, clock, outside, publisher)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # As many threads as connections: more threads only queue for a connection
        # while they fight for the GIL, stretching the time position locks are held.
        to_thread.current_default_thread_limiter().total_tokens = settings.pool_size
        # What exists now (modules, the app, its models) lives as long as the process:
        # out of the collector's way, a full collection scans a fifth of what it did
        # (100,000 objects, 26 ms a collection, measured). Later garbage is collected.
        gc.collect()
        gc.freeze()
        feed.start()
        for loop in loops:
            loop.start()
        yield
        for loop in reversed(loops):
            loop.stop()
        if publisher is not None:
            publisher.close()
        feed.stop()
        engine.dispose()

    # /docs loads its scripts from here, not from a CDN: it works offline. No /redoc:
    # ReDoc's bundle fetches its logo from cdn.redoc.ly whatever it is told (every
    # reader's address to a third party), and Swagger UI documents the same API.
    app = FastAPIOffline(
        redoc_url=None,
        static_url="/docs/assets",
        lifespan=lifespan,
        title="Ordino",
        version=__version__,
        description="Open-source order management: stock, availability, capture, reserve, cancel.",
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.uow = uow
    app.state.clock = clock
    app.state.picture = picture
    app.state.feed = feed
    app.state.promising = promising
    app.state.capture = capture
    app.state.outside = outside  # the worker's adapters (tests run jobs with them)
    # Without a secret, the run's or a random one: links die with it (docs/security.md).
    secret = settings.secret_key or settings.run_secret or secrets.token_urlsafe(32)
    app.state.self_service = SelfService(Links(secret), capture)
    _who_asks(app.state, key_cache, uow, clock, settings.admin_key)
    problems.install(app)
    for router in ROUTERS:
        app.include_router(router)
    # Inside the pages' layer (added next, so outside this one): a page's refusal
    # has its session (the reader's language).
    limits = request_guard.Limits(
        settings.max_body_bytes, settings.max_feed_body_bytes, inventory_stock.FEED_PATHS
    )
    request_guard.install(app, pages.PAGES, pages.bad_text, limits)
    pages.install(app, secret)

    @app.get("/health", include_in_schema=False)
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
