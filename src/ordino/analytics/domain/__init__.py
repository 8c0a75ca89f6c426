"""The pure model of analytics: plain Python, no I/O, no framework."""
