"""Adapters to message brokers: publishers of the outbox's events."""
