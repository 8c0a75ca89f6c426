"""Inventory's storage: its repositories over SQL (the protocols they implement are in
`ordino.inventory.services.ports`)."""
