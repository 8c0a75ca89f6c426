"""The `ordino` command line."""
