"""The network's use cases and the port they speak to."""

from ordino.network.services.answers import product_view
from ordino.network.services.catalogue import get_location
from ordino.network.services.channels import channels_of
from ordino.network.services.ports import NetworkWork

__all__ = [
    "NetworkWork",
    "channels_of",
    "get_location",
    "product_view",
]
