"""Commands: edit (registered on the shared app)."""
