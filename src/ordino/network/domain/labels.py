"""Carrier labels: what a carrier is asked to carry (a parcel from one address to
another, under a reference) and what it answers (its tracking number and the label
to print, or to show as a code at its drop-off point).

A label is asked for under an idempotency key: the carrier answers the same key
with the same label, so a request retried after a crash books no second parcel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from ordino.network.domain.locations import Address


@dataclass(frozen=True)
class LabelRequest:
    carrier: str  # who carries it ("dhl"); a carrier service's carrier
    ship_from: Address
    ship_to: Address
    reference: str  # what the parcel is (a return's code), printed on the label


@dataclass(frozen=True)
class Label:
    key: str  # the idempotency key it was asked under
    carrier: str
    tracking_number: str
    media_type: str  # of `document`: "image/svg+xml"
    document: str  # the label to print
    created_at: datetime


class CarrierLabels(Protocol):
    """A carrier's label service (the sandbox's, a real carrier's adapter)."""

    def return_label(self, key: str, request: LabelRequest, now: datetime) -> Label: ...
    # The parcel will not travel: its label booked under `key` is void (again: nothing).
    def void_label(self, key: str, now: datetime) -> None: ...
