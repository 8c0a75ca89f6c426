"""The pure model of access: plain Python, no I/O, no framework."""
