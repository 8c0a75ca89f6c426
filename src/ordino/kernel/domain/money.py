"""Money: a Decimal amount with an ISO 4217 currency.

Invariants: an amount never carries more fraction digits than its currency's minor
unit (EUR 2, JPY 0, BHD 3), nor more than `MAX_DIGITS` digits in that unit (so it is
exact in a signed 64-bit integer); rounding to the minor unit happens here and
nowhere else. A sum split into parts (a discount over lines, a line's discount over
its units, a charge over shipments) is spread by largest remainder (`spread`): the
parts add up to the sum exactly, each within one minor unit of its exact share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import cache, cached_property
from itertools import pairwise

from babel.numbers import get_currency_precision, list_currencies

MAX_DIGITS = 18  # in minor units: as ISO 20022 amounts, and below 2**63

# Codes the standard reserves for testing, precious metals and "no currency".
_NOT_MONEY = frozenset({"XXX", "XTS", "XAU", "XAG", "XPD", "XPT", "XDR", "XSU", "XUA", "XBA"})


@cache
def _currencies() -> frozenset[str]:
    return frozenset(code for code in list_currencies() if code not in _NOT_MONEY)


def is_currency(code: str) -> bool:
    return code in _currencies()


@cache
def minor_digits(currency: str) -> int:
    return int(get_currency_precision(currency))


class BadAmount(ValueError):
    pass


def _fraction_digits(amount: Decimal) -> int:
    """Significant digits after the point: 12.340 has 2. Exact, unlike normalize()."""
    _, digits, exponent = amount.as_tuple()
    assert isinstance(exponent, int)
    text = "".join(map(str, digits))
    trailing_zeros = len(text) - len(text.rstrip("0"))
    return max(0, -(exponent + trailing_zeros))


def parse_amount(text: str | int | Decimal, currency: str) -> Decimal:
    """A non-negative amount with at most the currency's minor digits, or BadAmount."""
    try:
        amount = Decimal(str(text).strip())
    except InvalidOperation:
        raise BadAmount(f"{text!r} is not a decimal number") from None
    if not amount.is_finite() or amount < 0:
        raise BadAmount("must be a finite, non-negative decimal")
    if _fraction_digits(amount) > minor_digits(currency):
        raise BadAmount(f"{currency} has {minor_digits(currency)} decimal places")
    if not fits(amount, currency):
        raise BadAmount(f"too large: must be below {limit(currency):f} {currency}")
    return quantize(amount.copy_abs(), currency)  # copy_abs: "-0" is zero, unsigned


def limit(currency: str) -> Decimal:
    """The smallest amount too large to hold: 10 ** MAX_DIGITS minor units."""
    return Decimal(1).scaleb(MAX_DIGITS - minor_digits(currency))


def fits(amount: Decimal, currency: str) -> bool:
    return amount.copy_abs() < limit(currency)  # copy_abs: no context, no Overflow


def quantize(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(_step(currency), rounding=ROUND_HALF_EVEN)


@cache
def _step(currency: str) -> Decimal:
    """The currency's minor unit: 0.01 for EUR, 1 for JPY."""
    return Decimal(1).scaleb(-minor_digits(currency))


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValueError(f"cannot add {other.currency} to {self.currency}")
        return Money(self.amount + other.amount, self.currency)

    def times(self, quantity: int) -> Money:
        return Money(quantize(self.amount * quantity, self.currency), self.currency)

    @staticmethod
    def zero(currency: str) -> Money:
        return Money(quantize(Decimal(0), currency), currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


def to_minor(amount: Decimal, currency: str) -> int:
    """The amount in the currency's minor unit (cents), exact."""
    return int(quantize(amount, currency).scaleb(minor_digits(currency)))


def from_minor(minor: int, currency: str) -> Decimal:
    return quantize(Decimal(minor).scaleb(-minor_digits(currency)), currency)


def spread_minor(total: int, weights: Sequence[int]) -> list[int]:
    """`total` minor units split in proportion to `weights` (non-negative, not all
    zero) by largest remainder: the parts add up to `total` exactly, and each is its
    exact share rounded down or up by less than one unit. The units left over after
    rounding down go to the largest remainders, ties to the earliest part, so the
    same input always gives the same parts. A negative total is spread as its
    opposite, negated."""
    if any(weight < 0 for weight in weights) or not any(weights):
        raise ValueError("weights must be non-negative and not all zero")
    if total < 0:
        return [-part for part in spread_minor(-total, weights)]
    whole = sum(weights)
    parts = [total * weight // whole for weight in weights]
    remainders = [total * weight % whole for weight in weights]
    ranked = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in ranked[: total - sum(parts)]:
        parts[i] += 1
    return parts


def spread(amount: Decimal, weights: Sequence[int], currency: str) -> list[Decimal]:
    """`amount` split in proportion to `weights` to the minor unit of `currency`, the
    parts adding up to it exactly (`spread_minor`); an amount past the currency's
    digits is refused (ValueError), never rounded on the way."""
    if quantize(amount, currency) != amount:
        raise ValueError(f"{amount} has more digits than {currency} has")
    parts = spread_minor(to_minor(amount, currency), weights)
    return [from_minor(part, currency) for part in parts]


@dataclass(frozen=True)
class UnitAmounts:
    """An amount for each unit of a line (0 to `units` - 1), kept as runs of equal
    amounts, `((amount, units), ...)`: a spread over a million units is a few runs,
    not a million amounts. Runs are never empty and no two neighbours are equal."""

    runs: tuple[tuple[Decimal, int], ...]
    # Derived when made: how many units, and the sum over them all.
    units: int = field(init=False, repr=False, compare=False)
    total: Decimal = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        runs = self.runs
        if len(runs) != 1 or runs[0][1] < 1:  # one run (every unit the same): most lines
            if any(count < 1 for _, count in runs):
                raise ValueError("a run holds one unit at least")
            if any(a == b for (a, _), (b, _) in pairwise(runs)):
                raise ValueError("neighbouring runs of one amount are one run")
        units = sum(count for _, count in runs)
        object.__setattr__(self, "units", units)
        total = runs[0][0] * units if len(runs) == 1 else sum((a * c for a, c in runs), Decimal(0))
        object.__setattr__(self, "total", total)

    @classmethod
    def of(cls, runs: Sequence[tuple[Decimal, int]]) -> UnitAmounts:
        """From any runs: empty ones dropped, equal neighbours joined."""
        if len(runs) == 1 and runs[0][1] > 0:
            return cls((runs[0],))
        joined: list[tuple[Decimal, int]] = []
        for amount, count in runs:
            if count < 0:
                raise ValueError("a run holds no fewer than no units")
            if not count:
                continue
            if joined and joined[-1][0] == amount:
                joined[-1] = (amount, joined[-1][1] + count)
            else:
                joined.append((amount, count))
        return cls(tuple(joined))

    @classmethod
    def same(cls, amount: Decimal, units: int) -> UnitAmounts:
        return cls.of([(amount, units)])

    def amounts(self) -> set[Decimal]:
        return {amount for amount, _ in self.runs}

    def at(self, unit: int) -> Decimal:
        return self.over(unit, 1)

    def over(self, first: int, count: int) -> Decimal:
        """The sum for units `first` to `first + count - 1`."""
        if first < 0 or count < 0 or first + count > self.units:
            raise IndexError(f"units {first} to {first + count - 1} of {self.units}")
        if len(self.runs) == 1:  # every unit the same: most lines
            return self.runs[0][0] * count
        found, start = Decimal(0), 0
        for amount, units in self.runs:
            end = start + units
            overlap = min(end, first + count) - max(start, first)
            if overlap > 0:
                found += amount * overlap
            start = end
        return found

    def part(self, first: int, count: int) -> UnitAmounts:
        """Units `first` to `first + count - 1` alone (their unit 0 is `first`)."""
        if first < 0 or count < 0 or first + count > self.units:
            raise IndexError(f"units {first} to {first + count - 1} of {self.units}")
        runs, start = [], 0
        for amount, units in self.runs:
            end = start + units
            overlap = min(end, first + count) - max(start, first)
            if overlap > 0:
                runs.append((amount, overlap))
            start = end
        return UnitAmounts.of(runs)

    def then(self, after: UnitAmounts) -> UnitAmounts:
        """These units, then those of `after` (numbered on from here)."""
        return UnitAmounts.of([*self.runs, *after.runs])

    @cached_property
    def _starts(self) -> tuple[int, ...]:
        starts, start = [], 0
        for _, count in self.runs:
            starts.append(start)
            start += count
        return tuple(starts)

    def starts(self) -> tuple[int, ...]:
        """The first unit of each run."""
        return self._starts


def spread_units(amount: Decimal, weights: UnitAmounts, currency: str) -> UnitAmounts:
    """`amount` spread over units in proportion to their `weights` (amounts of
    `currency`, e.g. what each unit sells for), exactly as `spread` would over the
    units one by one, run by run: the parts add up to `amount`, ties to the
    earliest unit."""
    if quantize(amount, currency) != amount:
        raise ValueError(f"{amount} has more digits than {currency} has")
    runs = [(to_minor(weight, currency), count) for weight, count in weights.runs]
    parts = spread_minor_runs(to_minor(amount, currency), runs)
    return UnitAmounts.of([(from_minor(part, currency), count) for part, count in parts])


def spread_minor_runs(total: int, runs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """`spread_minor` over units given as runs of equal weights, `(weight, units)`:
    every unit of a run has the same exact share, so the units left over go to the
    first units of the runs with the largest remainders, earliest run first."""
    if any(weight < 0 or count < 1 for weight, count in runs):
        raise ValueError("weights must be non-negative, runs not empty")
    if len(runs) == 1 and runs[0][0]:  # every unit the same share: the first get what is left
        count = runs[0][1]
        part, more = divmod(abs(total), count)
        sign = -1 if total < 0 else 1
        each = [(sign * (part + 1), more), (sign * part, count - more)]
        return [(amount, units) for amount, units in each if units]
    whole = sum(weight * count for weight, count in runs)
    if not whole:
        raise ValueError("weights must be non-negative and not all zero")
    if total < 0:
        return [(-part, count) for part, count in spread_minor_runs(-total, runs)]
    floors = [total * weight // whole for weight, _ in runs]
    remainders = [total * weight % whole for weight, _ in runs]
    left = total - sum(f * count for f, (_, count) in zip(floors, runs, strict=True))
    extra = [0] * len(runs)
    for i in sorted(range(len(runs)), key=lambda i: (-remainders[i], i)):
        if not left:
            break
        extra[i] = min(left, runs[i][1])
        left -= extra[i]
    parts: list[tuple[int, int]] = []
    for (_, count), part, more in zip(runs, floors, extra, strict=True):
        parts += [(part + 1, more), (part, count - more)]
    return [(part, count) for part, count in parts if count]
