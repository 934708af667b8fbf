"""Latin spellings of Japanese titles, so "tonari no totoro" finds となりのトトロ (build time).

Hepburn romanization by pykakasi, plus the spelling without long vowels that people type
("rashomon" for "rashoumon"). Titles of other scripts are left to their English title.
"""

from __future__ import annotations

import functools
import re
from typing import Any

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_LONG_VOWELS = re.compile(r"(?<=[aeiou])[uo](?=[^aeiou]|$)|(?<=o)o")


@functools.cache
def _converter() -> Any:
    import pykakasi

    return pykakasi.kakasi()


def japanese_spellings(title: str) -> list[str]:
    """Romanized spellings of a Japanese title (none if it has no Japanese characters)."""
    if not _JAPANESE.search(title):
        return []
    words = [part["hepburn"] for part in _converter().convert(title) if part["hepburn"].strip()]
    hepburn = " ".join(words).strip()
    if not hepburn:
        return []
    short = _LONG_VOWELS.sub("", hepburn)
    return [hepburn] if short == hepburn else [hepburn, short]
