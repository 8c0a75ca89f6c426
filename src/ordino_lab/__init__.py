"""Ordino's lab: benchmarks, load generation and the traffic simulator. It lives
beside the product, not inside it: it uses Ordino as a user would (its use cases,
its API over HTTP), and Ordino never imports it; its commands join `ordino`
through the entry point group `ordino.commands` (`ordino_lab.commands`)."""
