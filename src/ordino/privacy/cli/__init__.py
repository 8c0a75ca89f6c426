"""Privacy's commands: `ordino customers export` and `erase`."""
