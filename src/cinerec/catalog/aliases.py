"""What people call countries and languages -> the dataset's codes (build time).

Names come from maintained sources: ISO 3166 / 639 codes and names from pycountry, names in
English, Spanish and other languages from CLDR (Babel), plus the dataset's own names and a
short table of the everyday forms CLDR does not list ("UK", "EEUU", "castellano").

An alias names one thing or nothing: when two countries (or languages) claim the same alias
at the same level of trust it is dropped, so an unknown or ambiguous word is a 404 with
suggestions, never a silent answer about another country. The levels, most trusted first:
codes; the dataset's, English and Spanish names; the short table; names in other languages.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from cinerec.textnorm import match_key

OTHER_LOCALES = ("fr", "de", "it", "pt")

COUNTRY_SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "GB": ("UK", "U.K.", "Great Britain", "Britain", "England", "Inglaterra", "Gran Bretaña"),
    "US": ("USA", "U.S.A.", "US", "U.S.", "EEUU", "EE. UU.", "EE.UU.", "Estados Unidos de América"),
    "NL": ("Holland", "Holanda", "The Netherlands"),
    "CZ": ("Czech Republic", "República Checa"),
    "AE": ("UAE", "EAU"),
    "SU": ("USSR", "URSS", "Unión Soviética", "Soviet Russia"),
    "XG": ("GDR", "DDR", "RDA", "Alemania Oriental", "Alemania del Este"),
    "DE": ("West Germany", "Alemania Occidental", "Alemania Federal", "FRG", "BRD", "RFA"),
    "XC": ("Checoslovaquia",),
    "CN": ("PRC", "Mainland China", "China continental"),
    "IR": ("Persia",),
    "KR": ("Korea, South",),
    "VA": ("Vatican",),
    "CI": ("Ivory Coast", "Costa de Marfil"),
    "MK": ("Macedonia",),
}  # fmt: skip
# dataset codes that are not (or no longer) ISO 3166-1 countries
HISTORIC_COUNTRIES = {
    "SU": ("Soviet Union", "Unión Soviética"),
    "XG": ("East Germany", "Alemania Oriental"),
    "YU": ("Yugoslavia", "Yugoslavia"),
    "XC": ("Czechoslovakia", "Checoslovaquia"),
    "CS": ("Serbia and Montenegro", "Serbia y Montenegro"),
    "AN": ("Netherlands Antilles", "Antillas Neerlandesas"),
}
LANGUAGE_SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "es": ("castellano", "castilian"),
    "zh": ("mandarin", "mandarín", "chino mandarín"),
    "cn": ("cantonese", "cantonés", "yue"),
    "fa": ("farsi",),
    "en": ("inglés",),
}
# TMDB's own codes: "cn" is Cantonese, "xx" no language
DATASET_LANGUAGES = {"cn": ("Cantonese", "cantonés"), "xx": ("No language", "sin idioma")}


class _Claims:
    """alias key -> code, by trust level; a tie between two codes drops the alias."""

    def __init__(self) -> None:
        self.level: dict[str, int] = {}
        self.code: dict[str, str | None] = {}

    def add(self, alias: str | None, code: str, level: int) -> None:
        key = match_key(alias)
        if not key:
            return
        known = self.level.get(key)
        if known is None or level < known:
            self.level[key], self.code[key] = level, code
        elif level == known and self.code[key] != code:
            self.code[key] = None  # ambiguous at this level

    def result(self) -> dict[str, str]:
        return {k: c for k, c in self.code.items() if c is not None}


def _locales() -> dict[str, Any]:
    from babel import Locale

    return {name: Locale(name) for name in ("en", "es", *OTHER_LOCALES)}


def country_aliases(dataset: Mapping[str, str]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(alias key -> ISO code, ISO code -> [English, Spanish] name) for every ISO country and
    every code of `dataset` (ISO code -> the dataset's name)."""
    import pycountry
    from babel.languages import get_official_languages

    locales = _locales()
    claims = _Claims()
    labels: dict[str, list[str]] = {}
    codes = {c.alpha_2 for c in pycountry.countries} | set(dataset)
    for code in sorted(codes):
        country = pycountry.countries.get(alpha_2=code)
        historic = HISTORIC_COUNTRIES.get(code)
        en = locales["en"].territories.get(code) or (historic[0] if historic else None)
        es = locales["es"].territories.get(code) or (historic[1] if historic else None)
        name = dataset.get(code) or en or (country.name if country else code)
        labels[code] = [name, es or name]
        claims.add(code, code, 0)
        if country is not None:
            claims.add(country.alpha_3, code, 0)
        for alias in (dataset.get(code), en, es):
            claims.add(alias, code, 1)
        if country is not None:
            for field in ("name", "official_name", "common_name"):
                claims.add(getattr(country, field, None), code, 1)
        for alias in COUNTRY_SHORT_FORMS.get(code, ()):
            claims.add(alias, code, 2)
        native = [locales[x] for x in OTHER_LOCALES]
        for language in get_official_languages(code):
            native.append(_locale(language))
        for locale in native:
            if locale is not None:
                claims.add(locale.territories.get(code), code, 3)
    return claims.result(), labels


@functools.cache
def _locale(language: str) -> Any:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return None


def language_aliases(codes: Iterable[str]) -> tuple[dict[str, str], dict[str, list[str | None]]]:
    """(alias key -> code, code -> [English, Spanish] name) for the dataset's language codes."""
    import pycountry

    locales = _locales()
    claims = _Claims()
    labels: dict[str, list[str | None]] = {}
    for code in sorted(set(codes)):
        language = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
        own = DATASET_LANGUAGES.get(code)
        en = locales["en"].languages.get(code) or (own[0] if own else None)
        es = locales["es"].languages.get(code) or (own[1] if own else None)
        labels[code] = [en, es]
        claims.add(code, code, 0)
        if language is not None:
            for field in ("alpha_3", "bibliographic"):
                claims.add(getattr(language, field, None), code, 0)
        native = _locale(code)
        for alias in (en, es, native.languages.get(code) if native else None):
            claims.add(alias, code, 1)
        if language is not None:
            claims.add(language.name, code, 1)
        for alias in LANGUAGE_SHORT_FORMS.get(code, ()):
            claims.add(alias, code, 2)
        for name in OTHER_LOCALES:
            claims.add(locales[name].languages.get(code), code, 3)
    return claims.result(), labels
