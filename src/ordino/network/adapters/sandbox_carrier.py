"""The sandbox carrier: a label service for development, demos and tests that
behaves as a carrier's does and keeps what it booked in the database, so every
Ordino process sees the same labels.

A label is an SVG page: who sends the parcel and to whom, its reference, the
tracking number and a QR code of it (drawn by segno), for the customer to print, or
to show at a drop-off point where the carrier prints it.

Invariant: a key is booked once; asked again, the key answers the same label (two
processes asking at once: the second finds the first's); voided, it stays void.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from html import escape

import segno
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from ordino.network.adapters.sandbox_tables import sandbox_labels
from ordino.network.domain import Address, Label, LabelRequest

MEDIA_TYPE = "image/svg+xml"


class SandboxCarrier:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def return_label(self, key: str, request: LabelRequest, now: datetime) -> Label:
        booked = self._booked(key)
        if booked is not None:
            return booked
        tracking = _tracking_number(key)
        document = label_document(request, tracking)
        row = {
            "key": key,
            "carrier": request.carrier,
            "tracking_number": tracking,
            "reference": request.reference,
            "document": document,
            "created_at": now,
        }
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(sandbox_labels).values(row))
        except IntegrityError:  # booked meanwhile under the same key
            found = self._booked(key)
            if found is None:
                raise
            return found
        return Label(key, request.carrier, tracking, MEDIA_TYPE, document, now)

    def void_label(self, key: str, now: datetime) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(sandbox_labels)
                .where(sandbox_labels.c.key == key, sandbox_labels.c.voided_at.is_(None))
                .values(voided_at=now)
            )

    def _booked(self, key: str) -> Label | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(sandbox_labels).where(sandbox_labels.c.key == key)
            ).first()
        if row is None:
            return None
        return Label(
            row.key, row.carrier, row.tracking_number, MEDIA_TYPE, row.document, row.created_at
        )


def _tracking_number(key: str) -> str:
    """A tracking number of the sandbox's form: "SB", 12 digits of the key's hash, "DE"."""
    digits = int(hashlib.sha256(key.encode()).hexdigest(), 16) % 10**12
    return f"SB{digits:012d}DE"


def label_document(request: LabelRequest, tracking: str) -> str:
    """The label, an A6 page (105 x 148 mm) in SVG."""
    code = segno.make(tracking, error="m", micro=False).svg_data_uri(border=0, omitsize=True)
    lines = [
        (8, 12, 5, f"{escape(request.carrier.upper())} RETURN"),
        (8, 22, 3, "From"),
        *_address(request.ship_from, 27),
        (8, 52, 3, "To"),
        *_address(request.ship_to, 57),
        (8, 84, 3.5, f"Reference {escape(request.reference)}"),
        (8, 142, 4, escape(tracking)),
    ]
    texts = "".join(
        f'<text x="{x}" y="{y}" font-size="{size}" font-family="sans-serif">{text}</text>'
        for x, y, size, text in lines
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="105mm" height="148mm" '
        'viewBox="0 0 105 148"><rect width="105" height="148" fill="white"/>'
        f'{texts}<image x="27" y="90" width="45" height="45" href="{code}"/></svg>'
    )


def _address(address: Address, top: int) -> list[tuple[int, int, float, str]]:
    parts = [
        address.name,
        address.line1,
        address.line2,
        f"{address.postal_code} {address.city}",
        address.country,
    ]
    shown = [escape(part) for part in parts if part]
    return [(8, top + 5 * n, 3.5, text) for n, text in enumerate(shown[:5])]
