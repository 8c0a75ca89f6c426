"""Adapters to external payment gateways."""
