"""The assembly: the server and its periodic work, the worker's job table, the
whole unit of work (every capability's port at once), the console's pages wired
together, `ordino` itself with `ordino check`, and the demo. Everything else is
used from here; nothing imports it."""
