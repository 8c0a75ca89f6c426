"""Webhook use cases: subscribe, list, unsubscribe, read the delivery log; and the
delivery of a subscription's events, in order (the worker's `webhooks.deliver`)."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from ordino.events.domain.webhooks import (
    EVERY_TYPE,
    SIGNATURE_HEADER,
    Delivery,
    Subscription,
    signature,
    subscription_document,
)
from ordino.events.services.ports import EventsWork
from ordino.kernel.domain import (
    DELIVER_WEBHOOKS,
    EVENT_TYPES,
    ConfigurationKind,
    Event,
    FieldError,
    InvalidInput,
    Job,
    NotFound,
    Sealer,
    Unreadable,
    new_id,
)
from ordino.kernel.services import ORDINO, Changed, ServerKeys, record

# POST url, body, headers, timeout -> the status answered; OSError: no answer.
Post = Callable[[str, str, dict[str, str], float], int]
TIMEOUT = 10.0  # seconds a receiver has to answer
UNREADABLE = (
    "the subscription's secret cannot be opened with this server's keys: was it sealed "
    "under another ORDINO_SECRET_KEY? Set that key (or list it in "
    "ORDINO_PREVIOUS_SECRET_KEYS), or subscribe again"
)


class DeliveryFailed(Exception):
    """A receiver did not accept an event: the job tries again later, in order."""


def subscribe(
    url: str,
    event_types: Sequence[str],
    uow: EventsWork,
    now: datetime,
    keys: ServerKeys,
    by: str = ORDINO,
) -> dict[str, Any]:
    """A subscription, recorded as a change of configuration made `by` that caller;
    the answer holds its secret, shown this once and stored sealed. (The API checks
    first that the URL's host is not a private address.)"""
    if not url.startswith(("http://", "https://")):
        raise InvalidInput.of("url", "must be an http or https URL")
    if not event_types:
        raise InvalidInput.of("event_types", "name at least one event type, or *")
    refuse_unknown_event_types(event_types)
    secret = secrets.token_urlsafe(32)
    sealed = keys.sealer(uow, now).seal(secret)
    subscription = Subscription(new_id(now), url, frozenset(event_types), sealed, now)
    with uow:
        uow.webhooks.add(subscription)
        what = (ConfigurationKind.WEBHOOK, subscription.id, None)
        after = subscription_document(subscription)
        record(uow, what, None, after, Changed(by, now))
        uow.commit()
    return _answer(subscription) | {"secret": secret}  # shown this once


def refuse_unknown_event_types(event_types: Sequence[str]) -> None:
    """A subscription names types Ordino writes (a typo would never be delivered)."""
    known = ", ".join(sorted(EVENT_TYPES))
    errors = [
        FieldError(f"event_types[{n}]", f"no event {name}: one of *, {known}")
        for n, name in enumerate(event_types)
        if name != EVERY_TYPE and name not in EVENT_TYPES
    ]
    if errors:
        raise InvalidInput("unknown event types", errors=errors)


def list_subscriptions(uow: EventsWork) -> list[dict[str, Any]]:
    with uow:
        return [_answer(s) for s in uow.webhooks.all()]


def unsubscribe(subscription_id: str, uow: EventsWork, now: datetime, by: str) -> None:
    """The subscription goes (what it had not been delivered yet with it), recorded
    as a change of configuration made `by` that caller."""
    with uow:
        subscription = uow.webhooks.get(subscription_id)
        if subscription is None or not uow.webhooks.remove(subscription_id):
            raise NotFound(f"no webhook {subscription_id}", extra={"webhook_id": subscription_id})
        what = (ConfigurationKind.WEBHOOK, subscription_id, None)
        before = subscription_document(subscription)
        record(uow, what, before, None, Changed(by, now))
        uow.commit()


def delivery_log(subscription_id: str, uow: EventsWork, limit: int = 100) -> dict[str, Any]:
    with uow:
        if uow.webhooks.get(subscription_id) is None:
            raise NotFound(f"no webhook {subscription_id}", extra={"webhook_id": subscription_id})
        return {"webhook_id": subscription_id, "items": uow.webhooks.log(subscription_id, limit)}


def failing(uow: EventsWork, limit: int = 100) -> list[dict[str, Any]]:
    """Subscriptions stuck on a delivery their receiver refused (the oldest waiting
    one was tried): the receiver to fix, then the delivery to try again."""
    found = []
    with uow:
        for subscription in uow.webhooks.all():
            waiting = [e for e in uow.webhooks.log(subscription.id, limit) if not e["delivered_at"]]
            if waiting and waiting[-1]["attempts"]:
                stuck = waiting[-1] | {"waiting": len(waiting)}
                found.append({"webhook_id": subscription.id, "url": subscription.url} | stuck)
    return found


def retry(subscription_id: str, uow: EventsWork, now: datetime) -> bool:
    """Post the subscription's waiting deliveries again now (False: already queued)."""
    job = Job.new(DELIVER_WEBHOOKS, {"webhook_id": subscription_id}, now, key=subscription_id)
    with uow:
        if uow.webhooks.get(subscription_id) is None:
            raise NotFound(f"no webhook {subscription_id}", extra={"webhook_id": subscription_id})
        added = uow.jobs.add(job, now)
        uow.commit()
    return added


def fan_out(uow: EventsWork, events: Sequence[Event], now: datetime) -> None:
    """In the relay's unit of work: a delivery per event and subscription wanting
    it, and a job per subscription to post them."""
    for subscription_id in uow.webhooks.fan_out(events, now):
        job = Job.new(DELIVER_WEBHOOKS, {"webhook_id": subscription_id}, now, key=subscription_id)
        uow.jobs.add(job, now)


def deliver(
    subscription_id: str,
    uow: EventsWork,
    post: Post,
    clock: Callable[[], datetime],
    keys: ServerKeys,
) -> int:
    """Post the subscription's waiting deliveries one at a time, oldest first; stop
    at the first one not accepted (DeliveryFailed: the job retries, the order kept).
    How many were delivered."""
    delivered = 0
    while True:
        with uow:
            subscription = uow.webhooks.get(subscription_id)
            waiting = uow.webhooks.next_waiting(subscription_id) if subscription else None
        if subscription is None or waiting is None:
            return delivered
        status, error = _post(subscription, waiting, post, clock, keys.sealer(uow, clock()))
        with uow:
            uow.webhooks.attempted(waiting.id, status, error, clock())
            uow.commit()
        if status is None or not 200 <= status < 300:
            raise DeliveryFailed(f"{subscription.url} answered {status or error}")
        delivered += 1


def _post(
    subscription: Subscription,
    waiting: Delivery,
    post: Post,
    clock: Callable[[], datetime],
    sealer: Sealer,
) -> tuple[int | None, str | None]:
    """Sign and post one delivery, outside any transaction (a slow receiver holds no
    lock): the status answered, or why there was none."""
    try:
        secret = sealer.open(subscription.sealed_secret)
    except Unreadable:
        return None, UNREADABLE
    sent_at = clock()
    headers = {
        SIGNATURE_HEADER: signature(secret, int(sent_at.timestamp()), waiting.body),
        "Ordino-Event-Id": waiting.event_id,
        "Ordino-Event-Type": waiting.event_type,
    }
    try:
        return post(subscription.url, waiting.body, headers, TIMEOUT), None
    except OSError as failure:
        return None, f"{type(failure).__name__}: {failure}"


def _answer(subscription: Subscription) -> dict[str, Any]:
    return {
        "id": subscription.id,
        "url": subscription.url,
        "event_types": sorted(subscription.event_types),
        "created_at": subscription.created_at.isoformat(),
    }
