"""Request bodies for sourcing profiles; the answers of sourcing: profiles and their
versions, and why a sourcing decision chose what it did (as an order's decisions and a
rejection's answer show it)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

from ordino.http.fields import Amount, Country, Identifier, Strict, Text
from ordino.network.domain import CostWeights, LocationType
from ordino.sourcing.domain.profiles import Filters, SourcingProfile, Strategy, StrategyKind

Kilometres = Annotated[float, Field(gt=0, le=40_075)]


class FiltersIn(Strict):
    """Locations no strategy of the profile may use; an empty list admits all."""

    location_types: Annotated[list[LocationType], Field(max_length=3)] = []
    countries: Annotated[list[Country], Field(max_length=300)] = []
    include: Annotated[list[Identifier], Field(max_length=10_000)] = []
    exclude: Annotated[list[Identifier], Field(max_length=10_000)] = []
    radius_km: Kilometres | None = None
    min_stock_left: Annotated[int, Field(strict=True, ge=0, le=1_000_000)] = 0
    ship_from_store: bool = True

    def to_domain(self) -> Filters:
        return Filters(
            frozenset(self.location_types),
            frozenset(self.countries),
            frozenset(self.include),
            frozenset(self.exclude),
            self.radius_km,
            self.min_stock_left,
            self.ship_from_store,
        )


class StrategyIn(Strict):
    """Tried in order: `source` allocates from the locations it admits (types, radius;
    at most `max_packages`; lines split across locations if `split_lines`);
    `backorder` leaves what could not be filled waiting for supply (cancelled after
    `cancel_after_days`); `cancel` refuses it."""

    name: Text
    kind: StrategyKind = StrategyKind.SOURCE
    location_types: Annotated[list[LocationType], Field(max_length=3)] = []
    radius_km: Kilometres | None = None
    max_packages: Annotated[int | None, Field(ge=1, le=100)] = None
    split_lines: bool = True
    cancel_after_days: Annotated[int | None, Field(ge=1, le=366)] = None

    def to_domain(self) -> Strategy:
        return Strategy(
            self.name,
            self.kind,
            frozenset(self.location_types),
            self.radius_km,
            self.max_packages,
            self.split_lines,
            self.cancel_after_days,
        )


class WeightsIn(Strict):
    """What the optimiser minimises: each part of the cost times its weight, plus a
    price per package beyond the first and per day late (none: late is not allowed)."""

    shipping: Amount = "1"
    handling: Amount = "1"
    labour: Amount = "1"
    margin: Amount = "1"
    per_extra_package: Amount = "0"
    per_day_late: Amount | None = None

    def to_domain(self) -> CostWeights:
        late = None if self.per_day_late is None else Decimal(self.per_day_late)
        return CostWeights(
            Decimal(self.shipping),
            Decimal(self.handling),
            Decimal(self.labour),
            Decimal(self.margin),
            Decimal(self.per_extra_package),
            late,
        )


class ProfileIn(Strict):
    channels: Annotated[list[Identifier], Field(min_length=1, max_length=100)]
    order_types: Annotated[list[Identifier], Field(max_length=20)] = []
    services: Annotated[list[Identifier], Field(max_length=100)] = []
    filters: FiltersIn = FiltersIn()
    strategies: Annotated[list[StrategyIn], Field(min_length=1, max_length=20)]
    weights: WeightsIn = WeightsIn()
    version: Annotated[int | None, Field(ge=0, description="The version read; 0 if none")] = None

    def to_domain(self, name: str) -> SourcingProfile:
        return SourcingProfile(
            name,
            frozenset(self.channels),
            tuple(s.to_domain() for s in self.strategies),
            self.filters.to_domain(),
            self.weights.to_domain(),
            frozenset(self.order_types),
            frozenset(self.services),
        )


# The answers: profiles as stored (with their version), and why a decision chose.


class FiltersOut(BaseModel):
    location_types: list[str]
    countries: list[str]
    include: list[str]
    exclude: list[str]
    radius_km: float | None
    min_stock_left: int
    ship_from_store: bool


class StrategyOut(BaseModel):
    name: str
    kind: str
    location_types: list[str]
    radius_km: float | None
    max_packages: int | None
    split_lines: bool
    cancel_after_days: int | None


class WeightsOut(BaseModel):
    shipping: str
    handling: str
    labour: str
    margin: str
    per_extra_package: str
    per_day_late: str | None


class ProfileOut(BaseModel):
    name: str
    channels: list[str]
    order_types: list[str]
    services: list[str]
    filters: FiltersOut
    strategies: list[StrategyOut]
    weights: WeightsOut
    version: int


class ProfileList(BaseModel):
    items: list[ProfileOut]


class VersionOut(BaseModel):
    version: int
    created_at: str
    created_by: str | None  # versions kept before authors were have none


class VersionList(BaseModel):
    name: str
    items: list[VersionOut]


class ProfileAtVersionOut(ProfileOut):
    created_at: str
    created_by: str | None


class ProfileRefOut(BaseModel):
    name: str
    version: int


class PlannedOut(BaseModel):
    line_no: int
    location_id: str
    quantity: int


class ChosenOut(BaseModel):
    allocations: list[PlannedOut]
    cost: dict[str, str] | None = Field(description="Its parts and `total`; none: nothing ships")
    method: str = Field(description="exact, heuristic or none")
    optimal: bool


class WaitingOut(BaseModel):
    line_no: int
    quantity: int


class AlternativeOut(BaseModel):
    location_ids: list[str]
    total: str


class TriedOut(BaseModel):
    strategy: str
    candidates: int
    filled: int
    total: str | None
    method: str


class ExcludedOut(BaseModel):
    location_id: str
    rule: str


class CandidateOut(BaseModel):
    location_id: str
    distance_km: float | None
    available: dict[str, int]


class CandidatesOut(BaseModel):
    count: int
    nearest: list[CandidateOut]


class ExplanationOut(BaseModel):
    """Why a sourcing decision chose what it did."""

    seq: int
    profile: ProfileRefOut
    strategy: str
    outcome: str
    rate_card: str
    currency: str
    chosen: ChosenOut
    waiting: list[WaitingOut]
    cancel_after_days: int | None
    alternatives: list[AlternativeOut]
    tried: list[TriedOut]
    excluded: list[ExcludedOut]
    rejected: list[str]
    candidates: CandidatesOut
    promise_kept: bool | None = Field(
        None, description="Sourced again for a promised order: whether its date was kept"
    )
