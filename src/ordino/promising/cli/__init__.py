"""Promising's commands: `ordino promise` learns transit times from shipment history
and measures them."""
