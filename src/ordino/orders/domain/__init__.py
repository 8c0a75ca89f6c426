"""The order's pure model: read here to learn an order's lifecycle. Plain Python, no
I/O, no framework."""
