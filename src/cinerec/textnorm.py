"""The one definition of "the same title or name", shared by the ETL, the catalogue and queries."""

from __future__ import annotations

import unicodedata

__all__ = ["match_key"]


def match_key(text: str | None) -> str:
    """Key under which two strings match: NFKD, no combining marks, lower case, letters/digits only.

    So "WALL·E" and "wall-e" share the key "walle", and "Amélie" and "amelie" share "amelie".
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(
        ch for ch in decomposed.lower() if ch.isalnum() and not unicodedata.combining(ch)
    )
