"""A product as the API answers with it, JSON-ready."""

from __future__ import annotations

from typing import Any

from ordino.network.domain.products import Product, customs_document


def product_view(product: Product) -> dict[str, Any]:
    return {
        "sku": product.sku,
        "name": product.name,
        "weight_kg": None if product.weight_kg is None else str(product.weight_kg),
        "prices": {currency: str(amount) for currency, amount in sorted(product.prices.items())},
        "attributes": dict(sorted(product.attributes.items())),
        "tax_class": product.tax_class,
        "customs": customs_document(product.customs),
    }
