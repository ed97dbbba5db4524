"""Commands: timeline (registered on the shared app)."""
