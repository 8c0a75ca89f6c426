"""Tax over HTTP: the settings (who the seller is: Ordino then works out the EU VAT
of every order that is not a marketplace's), and the VAT rates loaded
(`ordino tax load FILE`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ordino.http.deps import clock, unit_of_work
from ordino.http.fields import Country, Strict
from ordino.http.security import require
from ordino.kernel.domain import ApiKey, Permission
from ordino.network.api import AddressIn, AddressOut
from ordino.pricing.domain import TaxSettings
from ordino.pricing.services import get_settings, list_rates, put_settings

router = APIRouter(prefix="/v1", tags=["tax"])
READ = [Depends(require(Permission.SETUP_READ))]
Writer = Annotated[ApiKey, Depends(require(Permission.NETWORK_WRITE))]


class TaxSettingsIn(Strict):
    seller_country: Annotated[
        Country, Field(description="Where the seller is established (an EU member state)")
    ]
    vat_id: Annotated[
        str | None,
        Field(min_length=4, max_length=32, description="The seller's own VAT id, of that country"),
    ] = None
    name: Annotated[
        str | None,
        Field(min_length=1, max_length=200, description="The seller's legal name (invoices)"),
    ] = None
    address: Annotated[
        AddressIn | None, Field(description="Where the seller is established (invoices)")
    ] = None
    eori: Annotated[
        str | None, Field(max_length=17, description="The seller's EORI number (customs)")
    ] = None
    ioss: Annotated[
        str | None,
        Field(max_length=12, description="The seller's IOSS number: IM and 10 digits"),
    ] = None

    def to_domain(self) -> TaxSettings:
        address = None if self.address is None else self.address.to_domain()
        return TaxSettings(
            self.seller_country, self.vat_id, self.name, address, self.eori, self.ioss
        )


class TaxSettingsOut(BaseModel):
    provider: str = Field(description="eu_vat: the built-in provider; none: no tax worked out")
    seller_country: str | None
    vat_id: str | None
    name: str | None
    address: AddressOut | None
    eori: str | None
    ioss: str | None
    version: int = Field(description="0: never set")


class TaxRateOut(BaseModel):
    country: str
    tax_class: str
    rate: str = Field(description="As a fraction: 0.19 is 19 %")
    valid_from: str
    valid_until: str | None = Field(description="The last day it holds; none: until replaced")


class TaxRateList(BaseModel):
    items: list[TaxRateOut]


@router.get("/tax-settings", response_model=TaxSettingsOut, dependencies=READ)
def get_tax_settings(request: Request) -> Response:
    return JSONResponse(get_settings(unit_of_work(request)))


@router.put("/tax-settings", response_model=TaxSettingsOut)
def put_tax_settings(body: TaxSettingsIn, request: Request, caller: Writer) -> Response:
    """Set who the seller is; from now on Ordino works out the VAT of each order that
    is not a marketplace's (docs/money.md, Tax). The change is recorded."""
    uow, now = unit_of_work(request), clock(request)
    created, answer = put_settings(body.to_domain(), uow, now, f"key:{caller.id}")
    return JSONResponse(answer, status_code=201 if created else 200)


@router.get("/tax-rates", response_model=TaxRateList, dependencies=READ)
def get_tax_rates(
    request: Request,
    country: Annotated[list[Country], Query(min_length=1, max_length=40)],
) -> Response:
    """The VAT rates loaded for these countries, by class and date."""
    return JSONResponse({"items": list_rates(unit_of_work(request), country)})
