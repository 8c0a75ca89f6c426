"""The network's pure model: plain Python, no I/O, no framework."""
