"""Returns' pages: customer service's queue and return page (console), the store's
receiving (store)."""
