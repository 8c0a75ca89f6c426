"""How Ordino works out the tax of an order: the seller the built-in EU VAT provider
taxes for (`ordino.pricing.engine.taxes.EuVat`). One document, named "default";
without it Ordino works out no tax (a marketplace's is kept as given all the same).

Invariants: the seller is established in a member state; its VAT id, when given,
is valid by format and check digits and is that member state's."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from stdnum.eu import vat
from stdnum.exceptions import ValidationError

from ordino.kernel.domain import FieldError
from ordino.network.domain import Address, address_fields, address_from_fields
from ordino.pricing.domain.customs import eori_problem, ioss_problem
from ordino.pricing.domain.tax import MEMBER_STATES

TAX_SETTINGS = "default"  # the one document's name


@dataclass(frozen=True)
class TaxSettings:
    seller_country: str  # where the seller is established: its home VAT
    vat_id: str | None = None  # the seller's own, as invoices show it
    name: str | None = None  # the seller's legal name, as invoices show it
    address: Address | None = None  # where the seller is established, likewise
    eori: str | None = None  # its customs number, as declarations show it
    ioss: str | None = None  # its Import One-Stop Shop number (goods into the Union)

    def compacted(self) -> TaxSettings:
        """With its VAT id as invoices print it (no spaces, capitals), once valid."""
        compact = None if self.vat_id is None else str(vat.compact(self.vat_id))
        return replace(self, vat_id=compact)

    def problems(self) -> list[FieldError]:
        found = [
            FieldError(name, problem)
            for name, value, check in (("eori", self.eori, eori_problem),
                                       ("ioss", self.ioss, ioss_problem))
            if value is not None and (problem := check(value)) is not None
        ]  # fmt: skip
        return found + self._vat_problems()

    def _vat_problems(self) -> list[FieldError]:
        if self.seller_country not in MEMBER_STATES:
            why = f"{self.seller_country} is not a member state of the EU (EU VAT only, for now)"
            return [FieldError("seller_country", why)]
        if self.vat_id is None:
            return []
        try:
            compact = str(vat.validate(self.vat_id))
        except ValidationError:
            return [FieldError("vat_id", f"{self.vat_id!r} is not a valid EU VAT id")]
        if ("GR" if compact[:2] == "EL" else compact[:2]) != self.seller_country:
            return [FieldError("vat_id", f"not a VAT id of {self.seller_country}")]
        return []


def tax_settings_document(settings: TaxSettings) -> dict[str, Any]:
    return {
        "provider": "eu_vat",
        "seller_country": settings.seller_country,
        "vat_id": settings.vat_id,
        "name": settings.name,
        "address": None if settings.address is None else address_fields(settings.address),
        "eori": settings.eori,
        "ioss": settings.ioss,
    }


def tax_settings_from_document(_name: str, document: dict[str, Any]) -> TaxSettings:
    address = document.get("address")
    return TaxSettings(
        document["seller_country"],
        document.get("vat_id"),
        document.get("name"),
        None if address is None else address_from_fields(address),
        document.get("eori"),
        document.get("ioss"),
    )
