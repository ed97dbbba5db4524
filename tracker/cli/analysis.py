"""Commands: analysis (registered on the shared app)."""
