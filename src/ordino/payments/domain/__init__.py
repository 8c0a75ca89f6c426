"""The pure model of payments: plain Python, no I/O, no framework."""
