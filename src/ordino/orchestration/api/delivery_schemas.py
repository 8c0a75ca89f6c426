"""The request body of a delivery recorded."""

from __future__ import annotations

from pydantic import Field

from ordino.http.fields import Identifier, LocalInstant, Strict, Text


class DeliveryIn(Strict):
    """When the goods arrived (or were collected), with the offset of the place where
    it happened: its local date is measured against the promised date."""

    delivered_at: LocalInstant
    location_id: Identifier | None = Field(
        None, description="The location the goods came from; none: all not yet delivered"
    )
    carrier: Text | None = None
