"""The network's storage: its repositories over SQL (the protocols they implement are in
`ordino.network.services.ports`)."""
