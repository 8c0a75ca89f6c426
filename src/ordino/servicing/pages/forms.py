"""What the pages' forms carry, read into the domain's values."""

from __future__ import annotations

from typing import Any

from ordino.kernel.domain import is_country
from ordino.network.domain import Address


def address(form: Any) -> Address | None:
    """The address the form gives; None unless it has a street, postal code, city and
    an ISO country code (the same rule the API's schema keeps)."""
    given = Address(
        str(form.get("line1") or "").strip()[:200],
        str(form.get("city") or "").strip()[:100],
        str(form.get("postal_code") or "").strip()[:20],
        str(form.get("country") or "").strip().upper(),
        name=str(form.get("name") or "").strip()[:200] or None,
    )
    complete = given.line1 and given.city and given.postal_code and is_country(given.country)
    return given if complete else None
