"""Servicing's use cases and the port they speak to."""

from ordino.servicing.services.ports import ServicingWork
from ordino.servicing.services.timeline import entry

__all__ = [
    "ServicingWork",
    "entry",
]
