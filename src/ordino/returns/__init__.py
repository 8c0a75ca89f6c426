"""Returns: return authorisations from any channel, the return policy, where returned
goods go (routing), receipt and disposition, refunds and exchanges. docs/returns.md."""
