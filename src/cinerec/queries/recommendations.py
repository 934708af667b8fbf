"""Recommendations as query results: resolve, ask the model, filter, explain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, cast

import numpy as np

from cinerec.catalog.loaded import Catalog
from cinerec.queries.course import MovieRef, movie_ref, movie_refs
from cinerec.queries.errors import InvalidQueryError, NotFoundError
from cinerec.queries.resolve import resolve_title, title_suggestions
from cinerec.queries.search import rank_names
from cinerec.recommend.explain import EVERYTHING, Source, reasons
from cinerec.recommend.model import SIMILAR_STRATEGY, STRATEGIES, RecommenderIndex
from cinerec.textnorm import match_key


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


@dataclass(frozen=True)
class TitleRef:
    """A movie named by its title (and, to choose among namesakes, its year)."""

    title: str
    year: int | None = None


MovieName = int | TitleRef
CONFIDENT = ("exact", "bare", "same_words", "words")  # search rules that name a movie


def resolve_movie(catalog: Catalog, name: MovieName) -> int:
    """A movie row from an id, or from a title resolved as search does: the course's title
    rule first, else search's best hit if it matched every word (a typo or a partial match
    is not taken for an answer: 404 with search's suggestions)."""
    if isinstance(name, int):
        return _movie_row(catalog, name)
    try:
        return resolve_title(catalog, name.title, name.year).row
    except NotFoundError:
        pass
    allowed = None if name.year is None else np.asarray(catalog.release_year) == name.year
    hits = rank_names(
        catalog.title_search, name.title, catalog.movie_prominence, 5, allowed=allowed
    ).hits
    if hits and hits[0].rule in CONFIDENT:
        return hits[0].entity
    when = "" if name.year is None else f" released in {name.year}"
    raise NotFoundError(
        f"no movie titled '{name.title}'{when}", title_suggestions(catalog, name.title)
    )


def recommend_for_profile(
    catalog: Catalog,
    model: RecommenderIndex,
    liked: list[MovieName],
    disliked: list[MovieName],
    limit: int = 10,
    strategy: str = "hybrid",
    filters: Filters | None = None,
) -> Recommendations:
    """Movies for a taste profile of several liked (and disliked) movies, by id or title."""
    _check_strategy(strategy)
    if not liked:
        raise InvalidQueryError("liked must name at least one movie")
    liked_rows = [resolve_movie(catalog, name) for name in liked]
    disliked_rows = [resolve_movie(catalog, name) for name in disliked]
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
    refs = movie_refs(catalog, [p.row for p in picks])
    why: list[list[str]]
    if strategy == "popular":
        why = [["among the best rated overall"] for _ in picks]
    else:
        stored = model.explained(picks)  # the default lists' reasons are stored
        if None in stored:
            kinds = 0
            for p, known in zip(picks, stored, strict=True):
                if known is None:
                    kinds |= EVERYTHING if p.shared is None else p.shared
            src = Source.of(catalog, rows, kinds)
            stored = [
                known or reasons(catalog, src, p.row, p.co_liked, p.shared)
                for p, known in zip(picks, stored, strict=True)
            ]
        why = cast(list[list[str]], stored)
    return Recommendations(
        movie=movie,
        strategy=strategy,
        items=[
            Recommended(ref, round(p.score, 4), said)
            for ref, p, said in zip(refs, picks, why, strict=True)
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
    chosen = model.similar(match.row, catalog.title_key_at, limit)
    refs = movie_refs(catalog, [match.row] + [s.row for s in chosen])
    picks = [Recommended(ref, s.score, []) for ref, s in zip(refs[1:], chosen, strict=True)]
    return Recommendations(movie=refs[0], strategy=SIMILAR_STRATEGY, items=picks)
