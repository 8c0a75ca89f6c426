"""Analytics' storage: its repositories over SQL (the protocols they implement are in
`ordino.analytics.services.ports`)."""
