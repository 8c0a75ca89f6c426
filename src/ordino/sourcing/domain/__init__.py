"""Sourcing's pure model: plans and profiles. Plain Python, no I/O, no framework."""
