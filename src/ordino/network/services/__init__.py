"""The network's use cases and the port they speak to."""
