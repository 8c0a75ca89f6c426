"""Servicing's pages: the console's order pages and exceptions for agents, and the
customer's own page (`/my-order`)."""
