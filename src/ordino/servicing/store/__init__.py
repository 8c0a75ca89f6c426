"""Servicing's storage: its tables."""
