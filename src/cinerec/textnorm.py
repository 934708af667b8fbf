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


__all__ += ["ARTICLES", "name_tokens", "strip_articles"]

# Leading articles a title may or may not be typed with ("Matrix" for "The Matrix",
# "laberinto del fauno" for "El laberinto del fauno"), in the catalogue's main languages.
# Words that are articles in one language and words in another stay out ("Die Hard" is not
# "Hard", "As Good as It Gets" not "Good as It Gets"), as do "i" and "o" ("I, Robot").
ARTICLES = frozenset(
    ("the", "a", "an", "el", "la", "los", "las", "un", "una", "le", "les", "l", "der", "il", "gli")
)

_ROMAN = {
    "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8", "ix": "9",
    "x": "10", "xi": "11", "xii": "12", "xiii": "13", "xiv": "14", "xv": "15", "xvi": "16",
    "xvii": "17", "xviii": "18", "xix": "19", "xx": "20",
}  # fmt: skip
# number words as digits too ("ocean's 11" / "Ocean's Eleven"); roman and digits already agree
_NUMBERS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "thirteen": "13", "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17",
    "eighteen": "18", "nineteen": "19", "twenty": "20",
}  # fmt: skip
_CANONICAL = _ROMAN | _NUMBERS
_ASCII_TOKEN = re.compile(r"[a-z0-9]+")
# "l'avventura", "d'artagnan": a one-letter elision is a word of its own; other apostrophes
# join ("schindler's" -> "schindlers")
_ELISION = re.compile(r"(?<![^\W_])([a-z])'(?=\w)")


def _fold(word: str) -> str:
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def name_tokens(text: str | None) -> list[str]:
    """Words of a title or name as search compares them: folded like `match_key`, split at
    anything that is not a letter or digit, "&" read as "and", Roman numerals II–XX and the
    number words up to twenty as digits (so "Rocky II" and "rocky 2", "Ocean's Eleven" and
    "ocean's 11" share their tokens)."""
    if not text:
        return []
    lowered = _ELISION.sub(r"\1 ", text.lower().replace("’", "'")).replace("&", " and ")
    lowered = lowered.replace("'", "")
    if lowered.isascii():
        words = _ASCII_TOKEN.findall(lowered)
    else:
        words = [w for w in (_fold(w) for w in re.split(r"[\W_]+", lowered)) if w]
    return [_CANONICAL.get(w, w) for w in words]


def strip_articles(tokens: list[str]) -> list[str]:
    """Tokens without a leading article (kept when the article is all there is)."""
    if len(tokens) > 1 and tokens[0] in ARTICLES:
        return tokens[1:]
    return tokens
