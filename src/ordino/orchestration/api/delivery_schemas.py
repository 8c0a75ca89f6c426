"""The request body of a delivery recorded, and the answer: the order's deliveries
measured against its promise."""

from __future__ import annotations

from pydantic import BaseModel, Field

from ordino.http.fields import Identifier, LocalInstant, Strict, Text


class DeliveryIn(Strict):
    """When the goods arrived (or were collected), with the offset of the place where
    it happened: its local date is measured against the promised date."""

    delivered_at: LocalInstant
    location_id: Identifier | None = Field(
        None, description="The location the goods came from; none: all not yet delivered"
    )
    carrier: Text | None = None


class DeliveryRecordOut(BaseModel):
    location_id: str
    delivered_at: str
    delivered_on: str = Field(description="The local date where it happened")
    service: str | None
    carrier: str | None
    promised_latest: str
    on_time: bool
    slack_days: int


class DeliveriesOut(BaseModel):
    order_id: str
    deliveries: list[DeliveryRecordOut]
