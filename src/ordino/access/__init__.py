"""Access: API keys, console users and their sessions, and the limits on guessing
(sign-in, the customer's order lookup)."""
