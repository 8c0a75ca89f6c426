"""Payments' storage: its repositories over SQL (the protocols they implement are in
`ordino.payments.services.ports`)."""
