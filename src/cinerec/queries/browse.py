"""Browsing and statistics: discover with filters, releases over time, top entities."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from cinerec.catalog.arrays import Csr
from cinerec.catalog.loaded import Catalog, Dimension
from cinerec.queries.cards import MovieCard, movie_cards
from cinerec.queries.course import MONTHS, WEEKDAYS, country_count
from cinerec.queries.errors import InvalidQueryError, NotFoundError
from cinerec.queries.resolve import resolve_dimension
from cinerec.textnorm import match_key

SORTS = (
    "popularity",
    "vote_average",
    "weighted_rating",
    "revenue",
    "return",
    "release_date",
    "budget",
    "vote_count",
)
ENTITIES = ("collection", "company", "country", "genre", "language", "movie")
METRICS = ("revenue", "count", "return", "budget")

Mask = np.ndarray[Any, np.dtype[np.bool_]]


@dataclass(frozen=True)
class DiscoverItem:
    movie: MovieCard
    value: float | None


@dataclass(frozen=True)
class DiscoverPage:
    items: list[DiscoverItem]
    total: int
    limit: int
    offset: int


def _rows_mask(n: int, rows: Any) -> Mask:
    mask = np.zeros(n, dtype=bool)
    mask[np.asarray(rows, dtype=np.int64)] = True
    return mask


def _genre_mask(catalog: Catalog, expression: str) -> Mask:
    """'Drama,Crime' = both genres; 'Drama|Crime' = either."""
    if "," in expression and "|" in expression:
        raise InvalidQueryError("genre combines with ',' (all) or '|' (any), not both")
    names = [g.strip() for g in expression.replace("|", ",").split(",") if g.strip()]
    masks = []
    for name in names:
        found = catalog.genres.names.lookup(match_key(name))
        if len(found) == 0:
            options = ", ".join(catalog.genres.name.text(i) for i in range(len(catalog.genres)))
            raise InvalidQueryError(f"unknown genre '{name}'; genres are: {options}")
        masks.append(_rows_mask(len(catalog), catalog.genres.movies.group(int(found[0]))))
    if not masks:
        return np.ones(len(catalog), dtype=bool)
    combine = np.logical_or if "|" in expression else np.logical_and
    return np.asarray(combine.reduce(masks), dtype=bool)


def _entity_mask(catalog: Catalog, dimension: Dimension, text: str, what: str) -> Mask:
    return _rows_mask(
        len(catalog), dimension.movies.group(resolve_dimension(dimension, text, what))
    )


def _language_mask(catalog: Catalog, text: str) -> Mask:
    code = catalog.language_alias.get(match_key(text))
    if code is None or code not in catalog.language_codes:
        raise NotFoundError(f"no movie has original language '{text}'")
    return np.asarray(catalog.language == catalog.language_codes.index(code), dtype=bool)


def _country_mask(catalog: Catalog, text: str) -> Mask:
    iso = catalog.country_alias.get(match_key(text))
    if iso is None:
        country_count(catalog, text)  # raises the 404 with suggestions
    row = catalog.country_row.get(str(iso))
    if row is None:
        return np.zeros(len(catalog), bool)
    return _rows_mask(len(catalog), catalog.countries.movies.group(row))


def sort_values(catalog: Catalog, key: str, weighted_rating: Any) -> np.ndarray[Any, Any]:
    values: dict[str, Any] = {
        "popularity": catalog.popularity,
        "vote_average": catalog.vote_average,
        "weighted_rating": weighted_rating,
        "revenue": catalog.revenue,
        "return": catalog.return_,
        "release_date": catalog.release_days,
        "budget": catalog.budget,
        "vote_count": catalog.vote_count,
    }
    return np.asarray(values[key], dtype=np.float64)


def discover(
    catalog: Catalog,
    weighted_rating: Any,
    *,
    genre: str | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    language: str | None = None,
    country: str | None = None,
    company: str | None = None,
    collection: str | None = None,
    min_votes: int | None = None,
    sort: str = "popularity",
    order: str = "desc",
    limit: int = 20,
    offset: int = 0,
) -> DiscoverPage:
    """Movies matching every given filter, sorted; one vectorized pass over the catalogue."""
    if sort not in SORTS:
        raise InvalidQueryError(f"sort must be one of {', '.join(SORTS)}")
    if year_from is not None and year_to is not None and year_from > year_to:
        raise InvalidQueryError("year_from is after year_to")
    mask = np.ones(len(catalog), dtype=bool)
    if genre:
        mask &= _genre_mask(catalog, genre)
    if year_from is not None:
        mask &= catalog.release_year >= year_from
    if year_to is not None:
        mask &= catalog.release_year <= year_to
    if language:
        mask &= _language_mask(catalog, language)
    if country:
        mask &= _country_mask(catalog, country)
    if company:
        mask &= _entity_mask(catalog, catalog.companies, company, "production company")
    if collection:
        mask &= _entity_mask(catalog, catalog.collections, collection, "collection")
    if min_votes is not None:
        mask &= catalog.vote_count >= min_votes
    rows = np.flatnonzero(mask)
    values = sort_values(catalog, sort, weighted_rating)[rows]
    # missing values sort last in either order; ties by most votes
    filled = np.where(np.isnan(values), -np.inf if order == "desc" else np.inf, values)
    primary = -filled if order == "desc" else filled
    ranked = rows[np.lexsort((catalog.rank[rows], primary))]
    page = ranked[offset : offset + limit]
    all_values = sort_values(catalog, sort, weighted_rating)
    return DiscoverPage(
        items=[
            DiscoverItem(card, None if np.isnan(all_values[r]) else float(all_values[r]))
            for r, card in zip(page.tolist(), movie_cards(catalog, page.tolist()), strict=True)
        ],
        total=len(rows),
        limit=limit,
        offset=offset,
    )


@dataclass(frozen=True)
class Bucket:
    key: str
    count: int


def releases(catalog: Catalog, by: str) -> list[Bucket]:
    """Movies released per month, weekday or year (the course's counts, over time)."""
    if by == "month":
        counts = catalog.month_counts
        return [Bucket(MONTHS[i - 1], int(counts[i])) for i in range(1, 13)]
    if by == "weekday":
        counts = catalog.weekday_counts
        return [Bucket(WEEKDAYS[i - 1], int(counts[i])) for i in range(1, 8)]
    if by == "year":
        years, counts = np.unique(catalog.release_year, return_counts=True)
        return [Bucket(str(int(y)), int(c)) for y, c in zip(years, counts, strict=True)]
    raise InvalidQueryError("by must be month, weekday or year")


@dataclass(frozen=True)
class TopEntry:
    name: str
    value: float
    count: int
    id: str | None = None


def _aggregate(
    catalog: Catalog, of_movie: Csr, n_entities: int, mask: Mask, metric: str
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    rows = np.flatnonzero(mask)
    sizes = of_movie.indptr[rows + 1] - of_movie.indptr[rows]
    entities = (
        np.concatenate([of_movie.items[of_movie.indptr[r] : of_movie.indptr[r + 1]] for r in rows])
        if len(rows)
        else np.zeros(0, np.int64)
    )
    movies = np.repeat(rows, sizes)
    counts = np.bincount(entities, minlength=n_entities)
    if metric == "count":
        return counts.astype(np.float64), counts
    source = {"revenue": catalog.revenue, "budget": catalog.budget, "return": catalog.return_}
    sums = np.bincount(entities, weights=source[metric][movies], minlength=n_entities)
    if metric == "return":  # mean return of the entity's movies with a budget
        with_budget = catalog.budget[movies] > 0
        n = np.bincount(entities[with_budget], minlength=n_entities)
        sums = np.bincount(
            entities[with_budget],
            weights=catalog.return_[movies][with_budget],
            minlength=n_entities,
        )
        return np.divide(sums, n, out=np.zeros(n_entities), where=n > 0), counts
    return sums, counts


def top(
    catalog: Catalog,
    entity: str,
    metric: str,
    year: int | None = None,
    limit: int = 10,
    order: str = "desc",
) -> list[TopEntry]:
    """Top collections, companies, countries, genres, languages or movies by a metric."""
    if entity not in ENTITIES:
        raise InvalidQueryError(f"entity must be one of {', '.join(ENTITIES)}")
    if metric not in METRICS:
        raise InvalidQueryError(f"metric must be one of {', '.join(METRICS)}")
    mask = np.ones(len(catalog), dtype=bool)
    if year is not None:
        mask &= catalog.release_year == year
    values: np.ndarray[Any, Any]
    counts: np.ndarray[Any, Any]
    if entity == "movie":
        if metric == "count":
            raise InvalidQueryError("metric=count needs an entity other than movie")
        rows = np.flatnonzero(mask)
        values = {"revenue": catalog.revenue, "budget": catalog.budget, "return": catalog.return_}[
            metric
        ][rows]
        if metric in ("budget", "return"):  # a budget of 0 is unknown, not small
            known = catalog.budget[rows] > 0
            rows, values = rows[known], values[known]
        order_idx = np.argsort(values if order == "asc" else -values, kind="stable")[:limit]
        return [
            TopEntry(
                catalog.title.text(int(rows[i])),
                float(values[i]),
                1,
                str(int(catalog.movie_id[rows[i]])),
            )
            for i in order_idx
        ]
    if entity == "language":
        codes = np.asarray(catalog.language)
        valid = mask & (codes >= 0)
        n_lang = len(catalog.language_codes)
        counts = np.bincount(codes[valid], minlength=n_lang)
        if metric == "count":
            values = counts.astype(np.float64)
        elif metric == "return":
            with_budget = valid & (catalog.budget > 0)
            n = np.bincount(codes[with_budget], minlength=n_lang)
            sums = np.bincount(
                codes[with_budget], weights=catalog.return_[with_budget], minlength=n_lang
            )
            values = np.divide(sums, n, out=np.zeros(n_lang), where=n > 0)
        else:
            source = catalog.revenue if metric == "revenue" else catalog.budget
            values = np.bincount(codes[valid], weights=source[valid], minlength=n_lang)
        names = list(catalog.language_codes)
    else:
        dimension = {
            "collection": catalog.collections,
            "company": catalog.companies,
            "country": catalog.countries,
            "genre": catalog.genres,
        }[entity]
        values, counts = _aggregate(catalog, dimension.of_movie, len(dimension), mask, metric)
        names = [dimension.name.text(i) for i in range(len(dimension))]
    present = np.flatnonzero(counts > 0)
    ranked = present[
        np.argsort(values[present] if order == "asc" else -values[present], kind="stable")
    ]
    return [TopEntry(names[i], float(values[i]), int(counts[i])) for i in ranked[:limit]]
