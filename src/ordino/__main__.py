"""`python -m ordino` is the `ordino` command."""

from ordino.cli.main import main

main()
