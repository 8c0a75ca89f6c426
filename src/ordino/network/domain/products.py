"""Products: what can be sold, identified by the caller's SKU, with attributes (the
caller's key/values: colour, size, brand), and how a search finds them.

A search's text is cut into words (letters and digits, case and accents folded); a product is
found when each word begins one of its terms: the words of its SKU, its name and its
attributes' values. Attributes are matched whole (`colour` equal to `red`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from ordino.kernel.domain import FieldError, InvalidInput


@dataclass(frozen=True)
class Customs:
    """What a customs declaration says of a product: its tariff number (the
    Harmonized System's 6 digits, or a country's 8 to 10), where it was made, and
    what it is, in words an officer reads."""

    hs_code: str
    origin: str  # the country of origin (ISO 3166 alpha-2)
    description: str


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    weight_kg: Decimal | None = None
    prices: dict[str, Decimal] = field(default_factory=dict)  # currency -> unit price
    attributes: dict[str, str] = field(default_factory=dict)  # name -> value
    # Which VAT rate it takes (`ordino.pricing.domain.TaxClass`): standard, reduced,
    # super_reduced, zero.
    tax_class: str = "standard"
    customs: Customs | None = None  # None: not given (a declaration says so)


def customs_document(customs: Customs | None) -> dict[str, str] | None:
    if customs is None:
        return None
    return {
        "hs_code": customs.hs_code,
        "origin": customs.origin,
        "description": customs.description,
    }


def customs_from(document: Mapping[str, str] | None) -> Customs | None:
    if document is None:
        return None
    return Customs(document["hs_code"], document["origin"], document["description"])


class ProductFacts(NamedTuple):
    """What capture and sourcing need of a known product: its price in each currency
    it has one in, its weight (None: not given), and its tax class."""

    prices: Mapping[str, Decimal]
    weight_kg: Decimal | None
    tax_class: str = "standard"

    @property
    def currencies(self) -> frozenset[str]:
        return frozenset(self.prices)


MAX_ATTRIBUTES = 50
MAX_TERM = 64  # characters of a term kept (and of a query's word)
MAX_WORDS = 10  # of a query
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The words of `text` as a search sees them: runs of letters and digits,
    casefolded (`Straße` is `strasse`) and without accents (`Crème` is `creme`), at
    most MAX_TERM characters each. Folded here, in Python, so that SQLite and
    PostgreSQL compare the same stored terms byte for byte."""
    return [word[:MAX_TERM] for word in _WORD.findall(fold(text))]


def fold(text: str) -> str:
    """Case and accents folded: decomposed (NFKD), combining marks dropped."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_terms(product: Product) -> set[str]:
    """What finds the product: the words of its SKU, its name, its attributes' values."""
    texts = [product.sku, product.name, *product.attributes.values()]
    return {word for text in texts for word in words(text)}


@dataclass(frozen=True)
class ProductQuery:
    """Products whose terms each word begins, with each attribute equal to its value,
    after the SKU `after` (the cursor), in SKU order."""

    words: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()
    after: str | None = None

    @classmethod
    def of(
        cls, text: str = "", attributes: Sequence[tuple[str, str]] = (), after: str | None = None
    ) -> ProductQuery:
        asked = tuple(dict.fromkeys(words(text)))
        if len(asked) > MAX_WORDS:
            raise InvalidInput.of("q", f"at most {MAX_WORDS} words")
        return cls(asked, tuple(dict.fromkeys(attributes)), after)


def refuse_unknown_skus(skus: Sequence[str], known: Set[str], what: str) -> None:
    """InvalidInput naming each line (`lines[i].sku`) whose SKU is not `known`."""
    errors = [
        FieldError(f"lines[{i}].sku", f"unknown SKU {sku!r}")
        for i, sku in enumerate(skus)
        if sku not in known
    ]
    if errors:
        raise InvalidInput(f"{what} names unknown SKUs", errors=errors)
