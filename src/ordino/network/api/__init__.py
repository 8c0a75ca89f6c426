"""The network's HTTP routes and the schemas of what they take and answer."""

from ordino.network.api.schemas import AddressIn, AddressOut, ProductOut

__all__ = [
    "AddressIn",
    "AddressOut",
    "ProductOut",
]
