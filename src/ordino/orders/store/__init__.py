"""Orders' storage: its repositories over SQL (the protocols they implement are in
`ordino.orders.services.ports`)."""
