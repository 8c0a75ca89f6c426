"""Ordino's pages: the console (admin, agent, store) and the customer's
self-service, server-rendered from the same process as the API."""
