"""The command line's frame every capability's commands stand on: the database
option, how an unusable database is told, a unit of work made as `ordino` says, and
progress bars. `ordino` itself is `ordino.app.main`."""
