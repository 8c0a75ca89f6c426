"""Returns' HTTP routes and the schemas of what they take and answer."""

from ordino.returns.api.schemas import ReturnOut

__all__ = ["ReturnOut"]
