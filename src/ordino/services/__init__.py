"""Use cases: one function per command, one unit of work each. Nothing else commits."""
