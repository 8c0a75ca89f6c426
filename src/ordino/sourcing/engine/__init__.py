"""Pure engines of sourcing over frozen snapshots: they take `now`, never mutate input,
break ties deterministically and return shortfalls as data."""
