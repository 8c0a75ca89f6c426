"""Returns' storage: SQL for returns and their lines, the return policy's table."""

from ordino.returns.store.repository import SqlReturns

__all__ = ["SqlReturns"]
