"""Sourcing: which locations ship each order line — the profiles a merchandiser
sets, the plans a decision makes, the engines and the cost optimiser behind them."""
