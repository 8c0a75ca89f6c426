"""Orchestration: the use cases that drive an order through its pipeline — release,
fulfillment, rerouting, backorders, timers and service levels — and the worker that
runs them."""
