"""Events' adapters: the NATS JetStream broker and webhook delivery over HTTP."""
