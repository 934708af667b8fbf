"""Recommendations as query results: resolve, ask the model, filter, explain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from cinerec.catalog.arrays import Csr
from cinerec.catalog.loaded import Catalog
from cinerec.queries.course import MovieRef, movie_ref, movie_refs
from cinerec.queries.errors import InvalidQueryError, NotFoundError
from cinerec.queries.resolve import resolve_title
from cinerec.recommend.links import (
    SAME_COLLECTION,
    SAME_DIRECTOR,
    SAME_GENRES,
    SHARED_CAST,
    SHARED_KEYWORDS,
    TOP_BILLED,
)
from cinerec.recommend.model import STRATEGIES, RecommenderIndex
from cinerec.textnorm import match_key

MAX_REASON_ITEMS = 3
EVERYTHING = SAME_DIRECTOR | SAME_COLLECTION | SHARED_CAST | SHARED_KEYWORDS | SAME_GENRES


@dataclass(frozen=True)
class Filters:
    """Constraints on recommended movies; all optional."""

    genres: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    min_votes: int | None = None
    exclude_ids: tuple[int, ...] = ()


class Recommended(NamedTuple):  # a NamedTuple for the reason of MovieRef's
    movie: MovieRef
    score: float
    reasons: list[str]


@dataclass(frozen=True)
class Recommendations:
    movie: MovieRef | None
    strategy: str
    items: list[Recommended]
    note: str | None = None
    liked: list[MovieRef] = field(default_factory=list)


def _movie_row(catalog: Catalog, movie_id: int) -> int:
    row = catalog.row_of_id(movie_id)
    if row is None:
        raise NotFoundError(f"no movie with id {movie_id}")
    return row


def _genre_rows(catalog: Catalog, names: tuple[str, ...]) -> list[int]:
    rows = []
    for name in names:
        found = catalog.genres.names.lookup(match_key(name))
        if len(found) == 0:
            options = [catalog.genres.name.text(i) for i in range(len(catalog.genres))]
            raise InvalidQueryError(f"unknown genre '{name}'; genres are: {', '.join(options)}")
        rows.append(int(found[0]))
    return rows


def _allowed(catalog: Catalog, filters: Filters) -> Callable[[np.ndarray[Any, Any]], Any] | None:
    genre_rows = _genre_rows(catalog, filters.genres)
    if filters.year_from and filters.year_to and filters.year_from > filters.year_to:
        raise InvalidQueryError("year_from is after year_to")
    if not (genre_rows or filters.year_from or filters.year_to or filters.min_votes):
        return None

    def allowed(rows: np.ndarray[Any, Any]) -> Any:
        keep = np.ones(len(rows), bool)
        years = catalog.release_year[rows]
        if filters.year_from is not None:
            keep &= years >= filters.year_from
        if filters.year_to is not None:
            keep &= years <= filters.year_to
        if filters.min_votes is not None:
            keep &= catalog.vote_count[rows] >= filters.min_votes
        for genre in genre_rows:
            keep &= np.fromiter(
                (genre in catalog.genres.of_movie.group(int(r)) for r in rows), bool, len(rows)
            )
        return keep

    return allowed


@dataclass(frozen=True)
class _Source:
    """What the query movies have, gathered once per request for all the reasons."""

    directors: set[int]
    collections: set[int]
    cast: set[int]
    keywords: set[int]
    genres: set[int]

    @classmethod
    def of(cls, catalog: Catalog, source: list[int], kinds: int = EVERYTHING) -> _Source:
        """Only the `kinds` (`links` bits) some reason will look at are read."""

        def union(bit: int, groups: Csr, head: int | None = None) -> set[int]:
            found: set[int] = set()
            if kinds & bit:
                for s in source:
                    found.update(groups.group_list(s)[:head])
            return found

        return cls(
            directors=union(SAME_DIRECTOR, catalog.movie_directors),
            collections={catalog.collection_at[s] for s in source} - {-1},
            cast=union(SHARED_CAST, catalog.movie_cast, TOP_BILLED),
            keywords=union(SHARED_KEYWORDS, catalog.keywords.of_movie),
            genres=union(SAME_GENRES, catalog.genres.of_movie),
        )


def _reasons(
    catalog: Catalog, src: _Source, row: int, co_liked: bool, shared: int | None = None
) -> list[str]:
    """Why `row` is recommended for the query movies summarized in `src`, in words.

    `shared`: the `links` bits of what `row` shares with the (single) query movie, when the
    model knows them; only those kinds are then looked up, the others are known to be empty.
    Names are listed in the recommended movie's order, at most MAX_REASON_ITEMS of each kind.
    """
    check = EVERYTHING if shared is None else shared
    if not check:  # known to share nothing
        return ["liked by the same viewers"] if co_liked else ["well rated"]
    said: list[str] = []
    person = catalog.person_name.text
    if check & SAME_DIRECTOR:
        same = [d for d in catalog.movie_directors.group_list(row) if d in src.directors]
        if same:
            said.append("same director: " + ", ".join([person(d) for d in same[:MAX_REASON_ITEMS]]))
    if check & SAME_COLLECTION:
        collection = catalog.collection_at[row]
        if collection in src.collections:
            said.append("same collection: " + catalog.collections.name.text(collection))
    if check & SHARED_CAST:
        same = [p for p in catalog.movie_cast.group_list(row)[:TOP_BILLED] if p in src.cast]
        if same:
            said.append("shared cast: " + ", ".join([person(p) for p in same[:MAX_REASON_ITEMS]]))
    if check & SHARED_KEYWORDS:
        same = [k for k in catalog.keywords.of_movie.group_list(row) if k in src.keywords]
        if same:
            keyword = catalog.keywords.name.text
            said.append(
                "shared keywords: " + ", ".join([keyword(k) for k in same[:MAX_REASON_ITEMS]])
            )
    if co_liked:
        said.append("liked by the same viewers")
    if check & SAME_GENRES and len(said) < 2:
        same = [g for g in catalog.genres.of_movie.group_list(row) if g in src.genres]
        if same:
            genre = catalog.genres.name.text
            said.append("same genres: " + ", ".join([genre(g) for g in same[:MAX_REASON_ITEMS]]))
    if not said:
        said.append("well rated")
    return said


def _check_strategy(strategy: str) -> None:
    if strategy not in STRATEGIES:
        raise InvalidQueryError(f"strategy must be one of {', '.join(STRATEGIES)}")


def recommend_for_movie(
    catalog: Catalog,
    model: RecommenderIndex,
    movie_id: int,
    limit: int = 10,
    strategy: str = "hybrid",
    filters: Filters | None = None,
) -> Recommendations:
    """Movies like one movie, filtered, each with its reasons."""
    _check_strategy(strategy)
    filters = filters or Filters()
    row = _movie_row(catalog, movie_id)
    if strategy == "collaborative" and not model.has_collaborative(row):
        return Recommendations(
            movie=movie_ref(catalog, row),
            strategy=strategy,
            items=[],
            note="no viewer ratings for this movie: collaborative recommendations need ratings;"
            " try strategy=hybrid or content",
        )
    return _recommend(catalog, model, [row], [], limit, strategy, filters, movie_ref(catalog, row))


def recommend_for_profile(
    catalog: Catalog,
    model: RecommenderIndex,
    liked: list[int],
    disliked: list[int],
    limit: int = 10,
    strategy: str = "hybrid",
    filters: Filters | None = None,
) -> Recommendations:
    """Movies for a taste profile of several liked (and disliked) movies."""
    _check_strategy(strategy)
    if not liked:
        raise InvalidQueryError("liked must name at least one movie id")
    liked_rows = [_movie_row(catalog, i) for i in liked]
    disliked_rows = [_movie_row(catalog, i) for i in disliked]
    result = _recommend(
        catalog, model, liked_rows, disliked_rows, limit, strategy, filters or Filters(), None
    )
    return Recommendations(
        movie=None,
        strategy=strategy,
        items=result.items,
        liked=[movie_ref(catalog, r) for r in liked_rows],
    )


def _recommend(
    catalog: Catalog,
    model: RecommenderIndex,
    rows: list[int],
    disliked: list[int],
    limit: int,
    strategy: str,
    filters: Filters,
    movie: MovieRef | None,
) -> Recommendations:
    exclude = set(disliked)
    for movie_id in filters.exclude_ids:
        excluded = catalog.row_of_id(movie_id)
        if excluded is not None:
            exclude.add(excluded)
    allowed = _allowed(catalog, filters)
    picks = model.recommend(rows, limit + 10 * len(disliked), strategy, allowed, exclude)
    if disliked:
        unwanted: set[int] = set()
        for row in disliked:
            unwanted.update(s.row for s in model.recommend([row], 20, strategy, None, exclude))
        picks = [p for p in picks if p.row not in unwanted] or picks
    picks = picks[:limit]
    kinds = 0
    for p in picks:
        kinds |= EVERYTHING if p.shared is None else p.shared
    src = _Source.of(catalog, rows, kinds)
    refs = movie_refs(catalog, [p.row for p in picks])
    if strategy == "popular":
        reasons = [["among the best rated overall"] for _ in picks]
    else:
        reasons = [_reasons(catalog, src, p.row, p.co_liked, p.shared) for p in picks]
    return Recommendations(
        movie=movie,
        strategy=strategy,
        items=[
            Recommended(ref, round(p.score, 4), why)
            for ref, p, why in zip(refs, picks, reasons, strict=True)
        ],
    )


def similar_titles(
    catalog: Catalog,
    model: RecommenderIndex,
    title: str,
    year: int | None = None,
    limit: int = 5,
) -> Recommendations:
    """The course's question: movies similar to a title, distinct and other than it, best first."""
    match = resolve_title(catalog, title, year)
    chosen: list[tuple[int, float]] = []
    title_key = catalog.title_key_at  # equal numbers <=> equal match keys of the titles
    seen_titles = {title_key[match.row]}
    for scored in model.recommend([match.row], limit * 4):
        key = title_key[scored.row]
        if key in seen_titles:
            continue
        seen_titles.add(key)
        chosen.append((scored.row, scored.score))
        if len(chosen) == limit:
            break
    if len(chosen) < limit:  # a movie with few neighbours: fill with the best rated
        for scored in model.recommend([match.row], limit * 4, strategy="popular"):
            key = title_key[scored.row]
            if key not in seen_titles:
                seen_titles.add(key)
                chosen.append((scored.row, scored.score))
            if len(chosen) == limit:
                break
    refs = movie_refs(catalog, [match.row] + [row for row, _ in chosen])
    picks = [Recommended(ref, score, []) for ref, (_, score) in zip(refs[1:], chosen, strict=True)]
    return Recommendations(movie=refs[0], strategy="hybrid", items=picks)
