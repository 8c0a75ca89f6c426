"""Servicing: the customer's self-service and view of their order, signed links, the
order's timeline and customer service's notes."""
