"""Stock: positions and their reservations, feeds from locations, inbound supply,
availability views as a channel sees stock, and stock signals."""
