"""Access's commands: `ordino keys` and `ordino users`."""
