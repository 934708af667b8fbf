"""Recommendations as query results: resolve the movie, ask the model, describe the picks."""

from __future__ import annotations

from dataclasses import dataclass

from cinerec.catalog.loaded import Catalog
from cinerec.queries.course import MovieRef, movie_ref
from cinerec.queries.resolve import resolve_title
from cinerec.recommend.model import NeighbourIndex


@dataclass(frozen=True)
class Recommendations:
    movie: MovieRef
    items: list[MovieRef]


def similar_titles(
    catalog: Catalog,
    model: NeighbourIndex,
    title: str,
    year: int | None = None,
    limit: int = 5,
) -> Recommendations:
    """Movies similar to a title, distinct and other than it, best first."""
    match = resolve_title(catalog, title, year)
    picks = []
    seen_titles = {catalog.title.text(match.row)}
    for neighbour in model.similar(match.row, limit * 3):
        text = catalog.title.text(neighbour.row)
        if text in seen_titles:
            continue
        seen_titles.add(text)
        picks.append(movie_ref(catalog, neighbour.row))
        if len(picks) == limit:
            break
    return Recommendations(movie=movie_ref(catalog, match.row), items=picks)
