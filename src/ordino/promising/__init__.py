"""Promising: the delivery options for a cart and a destination, made over sourcing's
plans, and the transit-time model learned from shipment history."""
