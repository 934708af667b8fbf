"""What a client needs to show a movie as a card in a list, without one more call per item."""

from __future__ import annotations

from typing import NamedTuple

from cinerec.catalog.loaded import Catalog

POSTER_BASE = "https://image.tmdb.org/t/p/w342"


class MovieCard(NamedTuple):
    id: int
    title: str
    year: int
    genres: list[str]
    vote_average: float | None
    vote_count: int
    poster_url: str | None


def poster_url(catalog: Catalog, row: int) -> str | None:
    path = catalog.poster_path.get(row)
    return f"{POSTER_BASE}{path}" if path else None


def movie_cards(catalog: Catalog, rows: list[int]) -> list[MovieCard]:
    genre = catalog.genres.name.text
    of_movie = catalog.genres.of_movie
    cards = []
    for r in rows:
        average = catalog.vote_average_at[r]
        cards.append(
            MovieCard(
                catalog.movie_id_at[r],
                catalog.title.text(r),
                catalog.release_year_at[r],
                [genre(g) for g in of_movie.group_list(r)],
                None if average != average else average,  # NaN: no votes
                catalog.vote_count_at[r],
                poster_url(catalog, r),
            )
        )
    return cards
