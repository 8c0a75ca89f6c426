"""The pure model of events out (webhooks): plain Python, no I/O, no framework."""
