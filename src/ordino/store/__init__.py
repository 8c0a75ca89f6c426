"""Storage's frame: the `metadata` every capability's tables are defined on, the
frame's own tables and records (idempotency, jobs, the outbox's rows, the change
feed, settings by name, the server's keys) and the commit writer. Each capability's
own tables and repositories are in its `store` package; the SQL unit of work and the
schema of every table are the app's assembly (`ordino.app`)."""
