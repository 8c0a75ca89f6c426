"""Events' storage: its repositories over SQL (the protocols they implement are in
`ordino.events.services.ports`)."""
