"""Commands: export (registered on the shared app)."""
