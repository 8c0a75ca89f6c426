"""Pure engines of orchestration over frozen snapshots: they take `now`, never mutate input,
break ties deterministically and return shortfalls as data."""
