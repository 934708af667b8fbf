"""Resolving what a user typed (title, person, month, day, language, ...) to catalogue rows."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from cinerec.catalog.arrays import Csr, KeyIndex
from cinerec.catalog.loaded import Catalog, Dimension
from cinerec.queries.errors import InvalidQueryError, NotFoundError
from cinerec.queries.search import rank_names
from cinerec.textnorm import match_key, name_tokens, strip_articles

MAX_SUGGESTIONS = 5
MAX_QUERY_LENGTH = 300


def query_key(text: str, what: str) -> str:
    """The match key of user input; empty or over-long input is a 422, not a 404."""
    if len(text) > MAX_QUERY_LENGTH:
        raise InvalidQueryError(f"{what} is too long (at most {MAX_QUERY_LENGTH} characters)")
    key = match_key(text)
    if not key:
        raise InvalidQueryError(f"{what} must contain at least one letter or digit")
    return key


# id of an index's offsets array -> (that array, its keys). The entry holds the array so that
# its id cannot be reused by another catalogue's array while cached (a stale list would
# suggest another catalogue's names, or point past the end of this one's).
_CHOICES: dict[int, tuple[object, list[str]]] = {}
MAX_CACHED_INDEXES = 32
_CHOICES_LOCK = threading.Lock()


def _choices(index: KeyIndex) -> list[str]:
    """All keys of an index as a list, built on first use (only unknown input needs it)."""
    offsets = index.keys.offsets
    cached = _CHOICES.get(id(offsets))
    if cached is None or cached[0] is not offsets:
        cached = (offsets, index.all_keys())
        with _CHOICES_LOCK:  # the warm-up thread and requests may both get here
            _CHOICES[id(offsets)] = cached
            while len(_CHOICES) > MAX_CACHED_INDEXES:  # the oldest go (a process serves one)
                _CHOICES.pop(next(iter(_CHOICES)))
    return cached[1]


def close_keys(index: KeyIndex, key: str, limit: int = MAX_SUGGESTIONS) -> list[int]:
    """Positions of the keys most similar to `key` (edit-distance ratio on match keys)."""
    choices = _choices(index)
    found = process.extract(
        key, choices, scorer=fuzz.ratio, limit=limit, score_cutoff=60, processor=None
    )
    return [int(m[2]) for m in found]


@dataclass(frozen=True)
class TitleMatch:
    row: int
    others: list[int]


def _title_rows(catalog: Catalog, title: str, key: str) -> list[int]:
    """Movies a title names: the course's rule (the same match key, title before original
    title), then the same words ("Rocky 2" for "Rocky II", a Japanese title's spelling), then
    the same without a leading article ("matrix" for "The Matrix"); most voted first."""
    rows = catalog.titles.lookup_list(key) or catalog.original_titles.lookup_list(key)
    if rows:
        return rows
    search = catalog.title_search
    words = name_tokens(title)
    for index, lookup in (
        (search.exact, "".join(words)),
        (search.bare, "".join(strip_articles(words))),
    ):
        entries = index.lookup(lookup)
        if len(entries):
            found = {int(r) for r in search.entity[entries]}
            return sorted(found, key=lambda r: int(catalog.rank[r]))
    return []


def resolve_title(catalog: Catalog, title: str, year: int | None = None) -> TitleMatch:
    """The movie a title names (see `_title_rows`); `year` narrows it."""
    key = query_key(title, "title")
    rows = _title_rows(catalog, title, key)
    if year is not None and rows:
        in_year = [r for r in rows if catalog.year(r) == year]
        if not in_year:
            years = ", ".join(
                f"{catalog.title.text(r)} ({catalog.year(r)})" for r in rows[:MAX_SUGGESTIONS]
            )
            raise NotFoundError(
                f"no movie titled '{title}' released in {year}; there is {years}",
                [f"{catalog.title.text(r)} ({catalog.year(r)})" for r in rows[:MAX_SUGGESTIONS]],
            )
        rows = in_year
    if not rows:
        raise NotFoundError(f"no movie titled '{title}'", title_suggestions(catalog, title))
    return TitleMatch(row=rows[0], others=rows[1:])


def _distinct(texts: Iterable[str]) -> list[str]:
    """The first MAX_SUGGESTIONS distinct texts (namesakes are one suggestion)."""
    return list(dict.fromkeys(texts))[:MAX_SUGGESTIONS]


def title_suggestions(catalog: Catalog, text: str) -> list[str]:
    """The titles search ranks first for `text` (distinct titles)."""
    ranking = rank_names(catalog.title_search, text, catalog.movie_prominence, MAX_SUGGESTIONS * 3)
    return _distinct(catalog.title.text(hit.entity) for hit in ranking.hits)


@dataclass(frozen=True)
class PersonMatch:
    row: int
    others: list[int]


ROLES = {"cast": "actor", "director": "director"}


def _credits(catalog: Catalog, role: str) -> Csr:
    return catalog.cast if role == "cast" else catalog.directed


def resolve_person(catalog: Catalog, name: str, role: str) -> PersonMatch:
    """A person by name (the course's rule: the same match key); among namesakes the one with
    most films in `role` ('cast'/'director'). Unknown names get search's best guesses."""
    key = query_key(name, "name")
    credits = _credits(catalog, role)
    rows = [r for r in catalog.person_names.lookup_list(key) if credits.size(r)]
    if not rows:
        raise NotFoundError(
            f"no {ROLES[role]} named '{name}'", person_suggestions(catalog, name, role)
        )
    rows.sort(key=lambda r: -credits.size(r))
    return PersonMatch(row=rows[0], others=rows[1:])


def has_credits(catalog: Catalog, role: str) -> np.ndarray[Any, Any]:
    """Per person: has at least one film in `role` ('cast', 'director' or 'any')."""
    if role == "any":
        return (np.diff(catalog.cast.indptr) > 0) | (np.diff(catalog.directed.indptr) > 0)
    return np.diff(_credits(catalog, role).indptr) > 0


def person_suggestions(catalog: Catalog, text: str, role: str) -> list[str]:
    """The names people search ranks first for `text`, among people with films in `role`."""
    ranking = rank_names(
        catalog.people_search,
        text,
        catalog.person_prominence[role],
        MAX_SUGGESTIONS * 3,
        allowed=has_credits(catalog, role),
    )
    return _distinct(catalog.person_name.text(hit.entity) for hit in ranking.hits)


def resolve_dimension(dimension: Dimension, text: str, what: str) -> int:
    """An entity (collection, company, ...) by name: the one with most movies."""
    key = query_key(text, what)
    rows = dimension.names.lookup_list(key)
    if not rows:
        # "Pixar" names "Pixar Animation Studios": a unique-enough prefix picks the biggest
        starts = dimension.names.prefix(key, 50)
        if starts:
            candidates = [r for p in starts for r in dimension.names.rows.group_list(p)]
            return max(candidates, key=dimension.movies.size)
        suggestions = []
        for position in close_keys(dimension.names, key):
            name = dimension.name.text(int(dimension.names.rows.group(position)[0]))
            if name not in suggestions:
                suggestions.append(name)
        raise NotFoundError(f"no {what} named '{text}'", suggestions[:MAX_SUGGESTIONS])
    return rows[0]


def close_labels(key: str, labels: list[str]) -> list[str]:
    """Labels close to a match key (edit-distance ratio), for a 404's suggestions."""
    found = process.extract(
        key, labels, scorer=fuzz.ratio, limit=MAX_SUGGESTIONS, score_cutoff=50, processor=match_key
    )
    return [m[0] for m in found]


def resolve_alias(aliases: dict[str, str], text: str, what: str, labels: list[str]) -> str:
    """A value of an open vocabulary (languages) by alias; unknown ones are a 404 with close
    labels suggested."""
    key = query_key(text, what)
    if key in aliases:
        return aliases[key]
    raise NotFoundError(f"unknown {what} '{text}'", close_labels(key, labels))


def resolve_closed(aliases: dict[str, str], text: str, what: str, valid: list[str]) -> str:
    """A value of a closed vocabulary (months, weekdays) by alias; anything else is a 422
    that lists the valid values."""
    key = query_key(text, what)
    if key in aliases:
        return aliases[key]
    raise InvalidQueryError(f"'{text}' is not a {what}; valid: {', '.join(valid)}", valid)


def warm_suggestions(catalog: Catalog) -> None:
    """Build the typo vocabularies ahead of the first unknown name (run in the background)."""
    for index in (catalog.title_search, catalog.people_search):
        index.warm()


def suggestions_ready(catalog: Catalog) -> bool:
    """Whether `warm_suggestions` has finished (reported by `/readyz`)."""
    return catalog.title_search.warmed and catalog.people_search.warmed
