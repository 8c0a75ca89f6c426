"""Every message the pages show has its German translation: a template changed
without the catalogue fails here, not in front of a German customer."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from ordino.console import words
from ordino.console.rendering import HERE, LANGUAGES
from ordino.kernel.domain.configuration import ConfigurationAction, ConfigurationKind
from ordino.orders.domain.fulfillment import FulfillmentStatus
from ordino.orders.domain.holds import HoldStatus
from ordino.orders.domain.pipelines import BUILT_IN
from ordino.orders.domain.status import LineStatus, OrderStatus
from ordino.payments.domain.payments import PaymentStatus
from ordino.promising.domain.promises import Method
from ordino.returns.domain import (
    Condition,
    Disposition,
    ExchangeMode,
    ExchangeStatus,
    Initiator,
    RefundTo,
    ReturnMethod,
    ReturnStatus,
)
from ordino.returns.services import FEES_KEEP_IT_ALL, NOTHING_CAME_BACK, REFUNDED
from ordino.servicing.services.customer_view import _SAID
from ordino.sourcing.domain.plans import CAPTURE, REROUTE, SUPPLY
from ordino.sourcing.domain.profiles import DEFAULT_PROFILE
from ordino.sourcing.engine.rules import Outcome

# Why a returned unit goes where it goes (ordino.returns.engine.routing's `why`).
ROUTES = ("returnless", "vendor", "stays", "needed", "cheapest", "nowhere")
# The pages are every capability's `pages` and the console's frame (its templates).
METHODS = [
    ("console/templates/**.html", "jinja2"),
    ("console/**.py", "python"),
    ("*/pages/**.py", "python"),
]
OPTIONS = {"console/templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def _messages() -> set[str]:
    found = extract_from_dir(Path(HERE).parent, METHODS, options_map=OPTIONS)
    return {message for _, _, message, _, _ in found if isinstance(message, str)}


def test_every_message_of_the_pages_is_translated() -> None:
    messages = _messages()
    assert "Sign in" in messages  # the extraction found the templates

    for language in LANGUAGES[1:]:
        po = HERE / "locales" / language / "LC_MESSAGES" / "messages.po"
        with po.open("rb") as source:
            catalog = read_po(source, locale=language)
        missing = sorted(m for m in messages if m not in catalog or not catalog[m].string)
        assert missing == [], f"{language} lacks {missing}"


def test_every_state_and_built_in_order_type_the_console_shows_has_words() -> None:
    """The order page writes codes through the catalogue (`_(fo.status)`,
    `_(order.type)`, a sourcing decision's reason, outcome, and Ordino's own profile
    and strategies): each one must be there, in every language, or the page shows
    `ready`, `ship_from_store` or `split lines` to a German agent. The configuration
    page writes the kinds and actions of changes the same way (`_(k)`)."""
    codes = {
        *OrderStatus,
        *LineStatus,
        *FulfillmentStatus,
        *HoldStatus,
        *Method,
        *PaymentStatus,
        *BUILT_IN,
        *Outcome,
        *(CAPTURE, REROUTE, SUPPLY),
        DEFAULT_PROFILE.name,
        *(strategy.name for strategy in DEFAULT_PROFILE.strategies),
        *ConfigurationKind,
        *ConfigurationAction,
        *ReturnStatus,
        *ReturnMethod,
        *Initiator,
        *RefundTo,
        *Condition,
        *Disposition,
        *ExchangeStatus,
        *ExchangeMode,
        *ROUTES,
        *_SAID.values(),  # the customer's timeline, in their words
    }

    for language in LANGUAGES:
        po = HERE / "locales" / language / "LC_MESSAGES" / "messages.po"
        with po.open("rb") as source:
            catalog = read_po(source, locale=language)
        missing = sorted(c for c in codes if c not in catalog or not catalog[c].string)
        assert missing == [], f"{language} lacks {missing}"


def test_the_reasons_ordino_closes_a_return_with_have_words() -> None:
    """The return page says them through the catalogue (`words.RETURN_NOTES`)."""
    assert set(words.RETURN_NOTES) == {REFUNDED, NOTHING_CAME_BACK, FEES_KEEP_IT_ALL}
