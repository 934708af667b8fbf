"""Language and country names (English and Spanish) for the codes in the data, from CLDR.

Computed at build time and stored with the catalogue, so serving never imports babel.
"""

from __future__ import annotations

from collections.abc import Iterable

from babel import Locale


def language_names(codes: Iterable[str]) -> list[dict[str, str | None]]:
    en, es = Locale("en"), Locale("es")
    rows = []
    for code in sorted({c for c in codes if c}):
        rows.append(
            {"iso": code, "name_en": en.languages.get(code), "name_es": es.languages.get(code)}
        )
    return rows


def country_names(codes: Iterable[str]) -> list[dict[str, str | None]]:
    en, es = Locale("en"), Locale("es")
    rows = []
    for code in sorted({c for c in codes if c}):
        upper = code.upper()
        rows.append(
            {
                "iso": upper,
                "name_en": en.territories.get(upper),
                "name_es": es.territories.get(upper),
            }
        )
    return rows
