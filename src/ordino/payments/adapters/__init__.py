"""Payments' adapters: the sandbox gateway (the only gateway so far)."""
