"""The kernel's pure vocabulary: plain Python, no I/O, no framework."""
