"""Payments: an order's card authorised, captured as its goods ship, the rest voided,
refunds made; every gateway call a keyed operation, recoverable from its record."""
