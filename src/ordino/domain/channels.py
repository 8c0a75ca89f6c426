"""Sales channels: the web shop, the app, a marketplace, the stores' tills. A channel
is known when it is configured (`PUT /v1/channels/{name}`), and only a known channel
places orders, has a view of stock, a sourcing profile or a key scoped to it: any
other name is a typo, refused where it is given, never a new channel by accident.

A channel's settings say what its orders may ask: at most `max_line_quantity` units
of a line (a shop's customer does not buy 999,999 of a SKU; a B2B channel may).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ordino.errors import FieldError

DEFAULT_MAX_LINE_QUANTITY = 1_000
MAX_LINE_QUANTITY = 1_000_000  # what any channel may allow at most


@dataclass(frozen=True)
class Channel:
    name: str
    max_line_quantity: int = DEFAULT_MAX_LINE_QUANTITY
    description: str | None = None

    def line_problems(self, quantities: Sequence[int]) -> list[FieldError]:
        """Each line asking more units than the channel allows, by its field."""
        too_many = f"at most {self.max_line_quantity} units a line in channel {self.name}"
        return [
            FieldError(f"lines[{n}].quantity", too_many)
            for n, quantity in enumerate(quantities)
            if quantity > self.max_line_quantity
        ]


def channel_document(channel: Channel) -> dict[str, Any]:
    return {"max_line_quantity": channel.max_line_quantity, "description": channel.description}


def channel_from_document(name: str, document: dict[str, Any]) -> Channel:
    return Channel(
        name,
        int(document.get("max_line_quantity", DEFAULT_MAX_LINE_QUANTITY)),
        document.get("description"),
    )
