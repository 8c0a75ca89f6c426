"""Lower bounds on what a plan that ships the whole order can cost ("floors"), so
the heuristic can stop searching where nothing left can beat the plan it has.

- A package from location k costs at least its handling per order and the cheapest
  price of its zone; each unit of a line at least the least any location asks for
  it; lateness nothing or more. So a plan of P packages costs at least the P
  smallest package floors, P - 1 extra packages and the units' floor.
- Two packages carry the order's whole weight between them: from zones i and j they
  pay at least the least, over every way of dividing that weight, of zone i's price
  for one part and zone j's for the rest (the prices are steps that rise with
  weight, so only the ends of steps need trying). A pair of locations then costs at
  least both handlings per order, that, one extra package, and each unit at the
  cheaper of the two for its line.

The floors hold only while no weight or price is negative (`Floors.sound`);
otherwise nothing is pruned and nothing is proved.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ordino.sourcing.engine.optimiser_fast import Floats, Ints, Steps, Table

STEP_ENDS = 4_096  # weights tried per zone for two packages, at most


@dataclass(frozen=True)
class Floors:
    package: Floats  # per location: the least a package from there costs
    units: float  # the least the order's units cost, wherever they go
    two: Floats  # (zone, zone): the least two packages pay to ship the order's weight
    sound: bool  # no negative weight or price: the floors are lower bounds


def floors(t: Table) -> Floors:
    return Floors(_packages(t), _units(t), _two_packages(t), _sound(t))


def least_from_two_roughly(t: Table) -> float:
    """A floor for plans of two packages or more that is quick to work out and lower
    than `least_from(t, floors(t), 2)`: the two cheapest package floors, one extra
    package and the units' floor, the order's weight not divided."""
    most = t.size if t.max_packages is None else min(t.size, t.max_packages)
    if most < 2:
        return math.inf
    packages = _packages(t)
    if not _sound(t) or t.extra_package < 0 or bool((packages < 0).any()):
        return -math.inf
    two = float(np.partition(packages, 1)[:2].sum())
    return two + t.extra_package + _units(t)


def _packages(t: Table) -> Floats:
    cheapest: Floats = np.array([zone.cheapest for zone in t.zones])[t.zone]
    return t.fixed + cheapest


def _units(t: Table) -> float:
    return float((t.unit.min(axis=0) * t.quantity).sum()) if t.size else 0.0


def _sound(t: Table) -> bool:
    return all(z.weight >= 0 and (z.per_kg is None or z.per_kg >= 0) for z in t.zones) and (
        t.per_day_late is None or t.per_day_late >= 0
    )


def least_from(t: Table, f: Floors, packages: int) -> float:
    """The least a plan of `packages` or more packages that ships everything can
    cost."""
    most = t.size if t.max_packages is None else min(t.size, t.max_packages)
    if packages > most:
        return math.inf
    if not f.sound:
        return -math.inf
    least = math.inf
    if packages <= 2 <= most:
        least = float(partner_floors(t, f).min())
    if packages <= 1:
        least = min(least, float(f.package.min()) + f.units)
    if most >= 3:
        smallest = np.cumsum(np.sort(f.package)[:most])[max(packages, 3) - 1 :]
        extra = t.extra_package * np.arange(max(packages, 3) - 1, most)
        least = min(least, float((smallest + extra).min()) + f.units)
    return least


def pair_floors(t: Table, f: Floors, a: Ints, b: Ints) -> Floats:
    """The least a plan of the two packages from `a[j]` and `b[j]` can cost: each
    unit at the cheaper of the two for its line."""
    two = f.two[t.zone[a], t.zone[b]]
    units = np.minimum(t.unit[a], t.unit[b]) @ t.quantity
    floor: Floats = t.fixed[a] + t.fixed[b] + two + t.extra_package + units
    return floor


def partner_floors(t: Table, f: Floors) -> Floats:
    """Per location, the least a plan of two packages with it as one can cost."""
    least = np.full(t.size, np.inf)
    for zone in range(len(t.zones)):
        here = np.flatnonzero(t.zone == zone)
        if len(here) == 0:
            continue
        order = here[np.argsort(t.fixed[here], kind="stable")[:2]]
        other = np.full(t.size, t.fixed[order[0]])
        other[order[0]] = t.fixed[order[1]] if len(order) > 1 else np.inf
        floor = t.fixed + other + f.two[t.zone, zone] + t.extra_package + f.units
        least = np.minimum(least, floor)
    return least


def _two_packages(t: Table) -> Floats:
    weight = float(t.quantity @ t.unit_weight)
    two = np.empty((len(t.zones), len(t.zones)))
    for i, first in enumerate(t.zones):
        ends = _step_ends(first, weight)
        for j, second in enumerate(t.zones):
            if ends is None:
                two[i, j] = first.cheapest + second.cheapest
            else:
                rest = np.maximum(weight - ends, 0.0)
                two[i, j] = float((first.price(ends) + second.price(rest)).min())
    return two


def _step_ends(zone: Steps, weight: float) -> Floats | None:
    """The weights, up to `weight`, where the first package pays least for as much
    as it carries: each step's end, and none and all of it (None: too many)."""
    ends = [0.0, weight, *(cap for cap in zone.caps.tolist() if cap < weight)]
    if zone.per_kg is not None and weight > zone.caps[-1]:
        started = math.ceil(weight - float(zone.caps[-1]))
        if started > STEP_ENDS:
            return None
        ends += [float(zone.caps[-1]) + k for k in range(1, started)]
    return np.array(ends)
