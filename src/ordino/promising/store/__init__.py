"""Promising's storage: deliveries measured against the promise."""
