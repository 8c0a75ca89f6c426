"""Pricing's commands."""
