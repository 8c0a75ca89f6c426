"""The pure model of servicing: plain Python, no I/O, no framework."""
