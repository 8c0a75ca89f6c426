"""Limits on guessing: console sign-in (a password or a key) and the customer's order
lookup (a number and an e-mail).

Each attempt counts against its subjects (an account, an order number, a client
address) within a fixed window that starts at the subject's first attempt; an
attempt that succeeds is taken back, so only failures (and attempts in flight) add
up. Past `attempts` in the window, the subject is refused until the window ends.

Counting per account stops a slow guess at one password from many addresses;
counting per address stops one client trying many accounts. The price of the first:
someone who knows a user's name can lock them out for the window (docs/security.md).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Limit:
    attempts: int  # allowed within the window
    window: timedelta

    def wait(self, count: int, started: datetime, now: datetime) -> timedelta | None:
        """How long the subject must wait after its `count`th attempt of the window
        that `started`; None: it may go on."""
        if count <= self.attempts:
            return None
        return max(started + self.window - now, timedelta(0))


WINDOW = timedelta(minutes=15)
SIGN_IN_ACCOUNT = Limit(5, WINDOW)  # one console user name
SIGN_IN_ADDRESS = Limit(20, WINDOW)  # one client, any names or keys
LOOKUP_ORDER = Limit(5, WINDOW)  # one order number
LOOKUP_ADDRESS = Limit(20, WINDOW)  # one client, any orders
LOOKUP_EMAIL = Limit(5, WINDOW)  # one customer's e-mail, any order numbers


@dataclass(frozen=True)
class Subject:
    """What an attempt counts against: `key` names it (`sign-in:user:ada`)."""

    key: str
    limit: Limit


def client(address: str | None) -> str:
    """A client's address as the limits count it: an IPv6 client by its /64 (one
    subscriber's whole network), an IPv4 one by its address, also as a dual-stack
    listener hears it (IPv4-mapped, `::ffff:a.b.c.d`: all in one /64), anything else
    as it is."""
    if not address:
        return "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def sign_in_subjects(username: str | None, address: str | None) -> list[Subject]:
    """A sign-in with a user name counts against it and the address; with a key,
    against the address (a key has 256 random bits: nothing to guess at)."""
    subjects = [Subject(f"sign-in:address:{client(address)}", SIGN_IN_ADDRESS)]
    if username:
        subjects.append(Subject(f"sign-in:user:{username[:100]}", SIGN_IN_ACCOUNT))
    return subjects


def lookup_subjects(number: str, email: str, address: str | None) -> list[Subject]:
    """A lookup counts against the address, the order number (guessing e-mails) and
    the e-mail as the lookup matches it (guessing numbers, which often run in
    sequence, from many addresses)."""
    return [
        Subject(f"lookup:address:{client(address)}", LOOKUP_ADDRESS),
        Subject(f"lookup:order:{number.strip()[:128]}", LOOKUP_ORDER),
        Subject(f"lookup:email:{email.strip().lower()[:200]}", LOOKUP_EMAIL),
    ]


def counter_subjects(caller: str, order_id: str) -> list[Subject]:
    """A store's e-mail for an order it did not serve counts against the caller (its
    key or user: one careless store locks out no other) and the order (guessed by
    many); not the e-mail, the customer's own lookup's."""
    return [
        Subject(f"lookup:caller:{caller[:100]}", LOOKUP_ADDRESS),
        Subject(f"lookup:order:{order_id[:128]}", LOOKUP_ORDER),
    ]
