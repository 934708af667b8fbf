"""The HTTP layer: thin FastAPI routes over `queries` and `recommend`."""
