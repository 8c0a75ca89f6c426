"""The network's adapters: carriers' services outside Ordino (the sandbox's)."""
