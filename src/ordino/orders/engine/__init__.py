"""Pure engines of orders over snapshots read at once: capture's decision (the rules
an order must keep, its plan, the order placed with its payment and jobs)."""
