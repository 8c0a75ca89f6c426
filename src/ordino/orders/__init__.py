"""Orders: capture, and an order's whole lifecycle — its lines and their counters,
its status, holds, release to locations as fulfillments, its pipeline, backorders,
cancellation."""
