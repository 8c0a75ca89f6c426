"""Access's storage: its repositories over SQL (the protocols they implement are in
`ordino.access.services.ports`)."""
