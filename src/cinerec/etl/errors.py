"""Errors the CLI turns into one clear line."""


class EtlError(Exception):
    """Raw input that cannot be turned into a catalogue (missing file or column, unreadable file)."""
