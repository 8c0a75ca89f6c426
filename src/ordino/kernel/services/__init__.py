"""The kernel's use cases, which every capability's call (idempotent answers,
retries, the record of configuration, the server's keys), and the port every
capability's port extends."""
