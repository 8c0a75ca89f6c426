"""What the tests of every capability share: builders with deterministic defaults
(`builders`, `scenarios`, `shipments`), helpers over HTTP (`api`) and over storage
(`storage`, `plans`), the money bench on PostgreSQL (`money`), and the fixtures of
PostgreSQL alone (`postgres`) and of the browser (`browser`), registered by
`tests/conftest.py`."""
