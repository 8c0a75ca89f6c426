"""Returns' storage: SQL for returns and their lines, the return policy's table."""

from ordino.returns.store.repository import SqlReturns
from ordino.returns.store.tables import return_lines, returns

__all__ = ["SqlReturns", "return_lines", "returns"]
