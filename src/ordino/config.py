"""Settings from the environment, read once at start."""

from __future__ import annotations

import os
from dataclasses import dataclass

from ordino.privacy.services.retention import Retention
from ordino.store.engine import DEFAULT_URL


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_URL
    admin_key: str | None = None
    # Connections, and so threads, per server process. Few: Python threads beyond a
    # handful fight over the GIL (measured: 4 gave ~25% more orders/s than 10).
    pool_size: int = 4
    # Positions the process's picture of stock holds at most (about 150 bytes each).
    cache_positions: int = 2_000_000
    # How often the stock signals are evaluated (seconds; 0: not in this process).
    signal_seconds: float = 1.0
    # How often the process's own worker looks for due jobs (seconds; 0: none here,
    # `ordino worker` processes run them).
    worker_seconds: float = 1.0
    # Where the outbox's events go besides webhooks (a NATS server with JetStream,
    # nats://host:4222; None: no broker), and how often the relay looks (seconds;
    # 0: no relay in this process).
    broker_url: str | None = None
    relay_seconds: float = 0.2
    # A transit-time model saved by `ordino promise train` (None: carrier tables only),
    # and the share of promises it is to keep.
    transit_model: str | None = None
    promise_confidence: float = 0.95
    # The server's key: signs the console's session cookies and the customers'
    # self-service links, and seals webhook secrets (docs/security.md). None: sessions
    # and links are signed with `run_secret` (`ordino serve` makes one its processes
    # share) or a random one per process, so they die with the run; webhook secrets
    # are sealed with a key kept in the database.
    secret_key: str | None = None
    # Keys that were ORDINO_SECRET_KEY before: they still open what they sealed.
    previous_secret_keys: tuple[str, ...] = ()
    run_secret: str | None = None
    # Webhook receivers on loopback or private addresses (tests, a local demo).
    webhook_allow_private: bool = False
    # The session cookie always Secure (else: when the request came over https).
    secure_cookies: bool = False
    # The time zone the pages show times in.
    time_zone: str = "UTC"
    # Retention (docs/security.md): days published events and accepted webhook
    # deliveries are kept (0: for ever), how often a process prunes (seconds; 0:
    # not in this process), and the age the broker's stream keeps events for.
    retain_events_days: float = 365
    retain_webhook_log_days: float = 30
    prune_seconds: float = 3600
    broker_max_age_days: float = 7
    # The largest request body taken (bytes): bigger ones are refused (413) before
    # they are read; the stock feeds (counts, snapshots, deltas) have their own, as
    # a location's full snapshot is large. Each admits the largest body its routes'
    # schemas take (tests/http/test_largest_bodies.py): an order of 500 lines with
    # every text at its longest is some 110 kB; 10,000 adjustments so, 41 MB.
    max_body_bytes: int = 2**20
    max_feed_body_bytes: int = 48 * 2**20
    # Threads that verify console passwords (argon2), apart from the API's threads.
    password_threads: int = 1

    @property
    def sealing_keys(self) -> tuple[str, ...]:
        """The keys webhook secrets are sealed under: the server's key, then earlier
        ones (none without ORDINO_SECRET_KEY: a key kept in the database then)."""
        return () if self.secret_key is None else (self.secret_key, *self.previous_secret_keys)

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=os.environ.get("ORDINO_DATABASE_URL", DEFAULT_URL),
            admin_key=os.environ.get("ORDINO_ADMIN_KEY") or None,
            pool_size=int(os.environ.get("ORDINO_POOL_SIZE", "4")),
            cache_positions=int(os.environ.get("ORDINO_CACHE_POSITIONS", "2000000")),
            signal_seconds=float(os.environ.get("ORDINO_SIGNAL_SECONDS", "1")),
            worker_seconds=float(os.environ.get("ORDINO_WORKER_SECONDS", "1")),
            broker_url=os.environ.get("ORDINO_BROKER_URL") or None,
            relay_seconds=float(os.environ.get("ORDINO_RELAY_SECONDS", "0.2")),
            transit_model=os.environ.get("ORDINO_TRANSIT_MODEL") or None,
            promise_confidence=float(os.environ.get("ORDINO_PROMISE_CONFIDENCE", "0.95")),
            secret_key=os.environ.get("ORDINO_SECRET_KEY") or None,
            previous_secret_keys=tuple(
                key for key in os.environ.get("ORDINO_PREVIOUS_SECRET_KEYS", "").split(",") if key
            ),
            run_secret=os.environ.get("ORDINO_RUN_SECRET") or None,
            webhook_allow_private=_flag(os.environ.get("ORDINO_WEBHOOK_ALLOW_PRIVATE")),
            secure_cookies=_flag(os.environ.get("ORDINO_SECURE_COOKIES")),
            time_zone=os.environ.get("ORDINO_TIME_ZONE", "UTC"),
            retain_events_days=float(os.environ.get("ORDINO_RETAIN_EVENTS_DAYS", "365")),
            retain_webhook_log_days=float(os.environ.get("ORDINO_RETAIN_WEBHOOK_LOG_DAYS", "30")),
            prune_seconds=float(os.environ.get("ORDINO_PRUNE_SECONDS", "3600")),
            broker_max_age_days=float(os.environ.get("ORDINO_BROKER_MAX_AGE_DAYS", "7")),
            max_body_bytes=int(os.environ.get("ORDINO_MAX_BODY_BYTES", str(2**20))),
            max_feed_body_bytes=int(os.environ.get("ORDINO_MAX_FEED_BODY_BYTES", str(48 * 2**20))),
            password_threads=int(os.environ.get("ORDINO_PASSWORD_THREADS", "1")),
        )

    @property
    def retention(self) -> Retention:
        return Retention.of_days(self.retain_events_days, self.retain_webhook_log_days)


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}
