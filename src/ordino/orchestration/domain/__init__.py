"""The pure model of orchestration: plain Python, no I/O, no framework."""
