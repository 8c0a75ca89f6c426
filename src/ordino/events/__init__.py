"""Events out: the outbox's relay to the broker, and webhooks (subscriptions, signed
deliveries, their log)."""
