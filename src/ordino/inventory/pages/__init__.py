"""Inventory's console pages: stock at a location, a SKU across the network, its
movements and what it sells."""
