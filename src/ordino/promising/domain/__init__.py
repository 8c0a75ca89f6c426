"""Promising's pure model: promises and shipment history. Plain Python, no I/O."""
