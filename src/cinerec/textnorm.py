"""The one definition of "the same title or name", shared by the ETL, the catalogue and queries."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["match_key"]

_NOT_ASCII_ALNUM = re.compile(r"[^a-z0-9]+")


def match_key(text: str | None) -> str:
    """Key under which two strings match: NFKD, no combining marks, lower case, letters/digits only.

    So "WALL·E" and "wall-e" share the key "walle", and "Amélie" and "amelie" share "amelie".
    """
    if not text:
        return ""
    if text.isascii():
        # the same result for ASCII (NFKD leaves it alone; its alphanumerics are [a-z0-9] once
        # lowered), ~10x faster: most of what users type is ASCII
        return _NOT_ASCII_ALNUM.sub("", text.lower())
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(
        ch for ch in decomposed.lower() if ch.isalnum() and not unicodedata.combining(ch)
    )
