"""Who acted, as the pages write it: people by name, keys by the name they were
given, rules by theirs, and Ordino's own parties in words."""

from __future__ import annotations

from ordino.console.rendering import translations
from ordino.console.words import actor, decision, event


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


def test_a_sourcing_decision_is_written_in_german_whole() -> None:
    german = translations("de").gettext
    chosen = {
        "reason": "capture",
        "profile": None,
        "strategy": "customer's choice: pickup-ST-HAM",
        "outcome": "sourced",
    }
    built_in = {
        "reason": "reroute",
        "profile": {"name": "built-in", "version": 0},
        "strategy": "split lines",
        "outcome": "backordered",
    }
    own = {
        "reason": "supply",
        "profile": {"name": "eu-web", "version": 3},
        "strategy": "nearest first",
        "outcome": "refused",
    }

    assert [decision(d, german) for d in (chosen, built_in, own)] == [
        ["bei Eingang", "Wahl des Kunden: pickup-ST-HAM", "beschafft"],
        [
            "umgeleitet",
            "Profil eingebaut, Version 0",
            "Strategie Zeilen teilen",
            "im Rückstand",
        ],
        ["bei Nachschub", "Profil eu-web, Version 3", "Strategie nearest first", "abgelehnt"],
    ]
