"""Pure engines of inventory over frozen snapshots: they take `now`, never mutate input,
break ties deterministically and return shortfalls as data."""
