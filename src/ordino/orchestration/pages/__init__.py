"""Orchestration's console pages: a store's queue of fulfillment orders (accept, pick,
ship, hand over)."""
