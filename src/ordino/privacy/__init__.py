"""Privacy: a customer's personal data exported or erased on their request, and what
is kept only for a while (retention)."""
