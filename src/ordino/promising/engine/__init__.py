"""Pure engines of promising over frozen snapshots: they take `now`, never mutate input,
break ties deterministically and return shortfalls as data."""

from ordino.promising.engine.options import PromiseRules
from ordino.promising.engine.promised import Promised, PromiseSnapshot, keeping, promise_from
from ordino.promising.engine.sites import chosen_by_customer, delivery_sites

__all__ = [
    "PromiseRules",
    "PromiseSnapshot",
    "Promised",
    "chosen_by_customer",
    "delivery_sites",
    "keeping",
    "promise_from",
]
