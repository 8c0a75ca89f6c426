"""`python -m ordino` is the `ordino` command."""

from ordino.app.main import main

main()
