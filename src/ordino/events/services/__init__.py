"""Events' use cases and the port they speak to."""
