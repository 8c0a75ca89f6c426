"""The catalogue of event types (what a webhook may subscribe to) holds every type
the code writes: a new one missing from it could never be subscribed to; and a
subscription to a type it does not hold is refused, naming it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import ordino
from ordino.events.services.webhooks import refuse_unknown_event_types
from ordino.kernel.domain.errors import InvalidInput
from ordino.kernel.domain.events import EVENT_TYPES

SOURCE = Path(ordino.__file__).parent
# An event type as the code writes it: "<what>.<happened>", past tense.
# Fields a problem names that the scan would take for event types.
FIELDS = {"customer.vat_id"}
WRITTEN = re.compile(
    r"[\"']((?:order|payment|fulfillment|supply|stock|inventory|customer|return)\.[a-z_]+)[\"']"
)


def test_every_event_type_the_code_writes_is_in_the_catalogue() -> None:
    written = {
        found
        for path in SOURCE.rglob("*.py")
        if "migrations" not in path.parts
        for found in WRITTEN.findall(path.read_text())
    }
    assert len(written) > 30  # the scan found them
    written -= FIELDS

    assert sorted(written - EVENT_TYPES) == []
    assert sorted(EVENT_TYPES - written) == []


def test_a_subscription_to_an_event_type_never_written_is_refused_naming_each() -> None:
    with pytest.raises(InvalidInput) as refused:
        refuse_unknown_event_types(["order.created", "order.craeted", "*", "Order.Created"])

    assert [error.field for error in refused.value.errors] == ["event_types[1]", "event_types[3]"]
    refuse_unknown_event_types(["*", *sorted(EVENT_TYPES)])  # every one written is taken
