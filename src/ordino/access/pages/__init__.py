"""Access's console pages: signing in and out, keys, users and their sessions, the
record of configuration; console passwords hashed on an executor of their own."""
