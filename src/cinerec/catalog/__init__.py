"""The loaded, indexed catalogue."""
