"""The pure model of privacy: plain Python, no I/O, no framework."""
