"""The JSON API under /api/v1 (design.md "Running it")."""
