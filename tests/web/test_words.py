"""Who acted, as the pages write it: people by name, keys by the name they were
given, rules by theirs, and Ordino's own parties in words."""

from __future__ import annotations

from ordino.web.rendering import translations
from ordino.web.words import actor, event


def test_each_kind_of_actor_is_written_for_people() -> None:
    names = {"key:01abc": "Web shop", "key:environment": "ORDINO_ADMIN_KEY"}
    german = translations("de").gettext

    assert [
        actor(by, names, german)
        for by in (
            "user:ada",
            "key:01abc",
            "key:01a19b7ca680ffffffff1234567890",
            "key:environment",
            "rule:big-spender@3",
            "customer",
            "gateway",
            "ordino",
            "demo",
        )
    ] == [
        "ada",
        "Schlüssel Web shop",
        "Schlüssel …567890",
        "ORDINO_ADMIN_KEY",
        "Regel big-spender",
        "der Kunde",
        "der Zahlungsdienst",
        "Ordino",
        "demo",
    ]


def test_an_event_not_known_to_the_pages_is_still_spelled_out() -> None:
    assert (event("order.created"), event("order.gift_wrapped")) == ("Order placed", "Gift wrapped")
