"""Servicing's HTTP routes and the schemas of what they take and answer."""
