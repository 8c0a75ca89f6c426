"""Returns' engines: pure functions over snapshots read for them."""

from ordino.returns.engine.routing import route_return

__all__ = ["route_return"]
