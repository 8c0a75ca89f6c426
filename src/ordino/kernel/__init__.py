"""The kernel: what every capability speaks in — money, ids, places, calendars,
state machines, events, errors, documents, idempotency, sealed secrets, the record
of configuration — and, as the rebuild by capability goes on (docs/layout.md), the
frames of the unit of work and of storage. It imports no other part of Ordino."""
