"""Product questions about movies and people: search, details, filmographies."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

import numpy as np

from cinerec.catalog.loaded import Catalog
from cinerec.queries.cards import MovieCard, movie_cards, poster_url
from cinerec.queries.course import (
    ActorSuccess,
    DirectorSuccess,
    MovieRef,
    actor_success_by_row,
    director_success_by_row,
    movie_ref,
)
from cinerec.queries.errors import NotFoundError
from cinerec.queries.resolve import has_credits, query_key
from cinerec.queries.search import rank_names
from cinerec.recommend.text_search import TextIndex

MAX_RESULTS = 500


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


def search_movies(
    catalog: Catalog, q: str, year: int | None = None, limit: int = 20, offset: int = 0
) -> Page[MovieCard]:
    """Titles and original titles ranked as `queries.search` does; `year` filters."""
    query_key(q, "q")
    allowed = None if year is None else np.asarray(catalog.release_year) == year
    ranking = rank_names(
        catalog.title_search,
        q,
        catalog.movie_prominence,
        min(offset + limit, MAX_RESULTS),
        allowed=allowed,
        years=catalog.release_year,
    )
    rows = [h.entity for h in ranking.hits[offset : offset + limit]]
    return Page(
        items=movie_cards(catalog, rows),
        total=min(ranking.total, MAX_RESULTS),
        limit=limit,
        offset=offset,
    )


@dataclass(frozen=True)
class CastCredit:
    person_id: int
    name: str
    character: str | None
    order: int


@dataclass(frozen=True)
class MovieDetails:
    movie: MovieRef
    original_title: str
    release_date: str
    overview: str | None
    tagline: str | None
    runtime: float | None
    genres: list[str]
    collection: str | None
    companies: list[str]
    countries: list[str]
    spoken_languages: list[str]
    original_language: str | None
    directors: list[dict[str, object]]
    cast: list[CastCredit]
    keywords: list[str]
    budget: float
    revenue: float
    return_: float
    vote_average: float | None
    vote_count: int
    popularity: float | None
    weighted_rating: float | None
    poster_url: str | None
    imdb_id: str | None
    homepage: str | None
    extra: dict[str, object] = field(default_factory=dict)


def _float(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def movie_details(
    catalog: Catalog, movie_id: int, weighted_rating: float | None = None, top_cast: int = 15
) -> MovieDetails:
    row = catalog.row_of_id(movie_id)
    if row is None:
        raise NotFoundError(f"no movie with id {movie_id}")
    cast_rows = catalog.movie_cast.group(row)[:top_cast]
    span = catalog.movie_cast.span(row)
    collection = int(catalog.collection[row])
    language = int(catalog.language[row])
    return MovieDetails(
        movie=movie_ref(catalog, row),
        original_title=catalog.original_title.text(row),
        release_date=catalog.release_date(row),
        overview=catalog.overview.get(row),
        tagline=catalog.tagline.get(row),
        runtime=_float(catalog.runtime[row]),
        genres=[catalog.genres.name.text(int(g)) for g in catalog.genres.of_movie.group(row)],
        collection=catalog.collections.name.text(collection) if collection >= 0 else None,
        companies=[
            catalog.companies.name.text(int(c)) for c in catalog.companies.of_movie.group(row)
        ],
        countries=[
            catalog.countries.name.text(int(c)) for c in catalog.countries.of_movie.group(row)
        ],
        spoken_languages=[
            catalog.spoken_languages.name.text(int(x))
            or str(catalog.spoken_languages.key_of(int(x)))
            for x in catalog.spoken_languages.of_movie.group(row)
        ],
        original_language=catalog.language_codes[language] if language >= 0 else None,
        directors=[
            {"id": int(catalog.person_key[p]), "name": catalog.person_name.text(int(p))}
            for p in catalog.movie_directors.group(row)
        ],
        cast=[
            CastCredit(
                person_id=int(catalog.person_key[p]),
                name=catalog.person_name.text(int(p)),
                character=catalog.movie_cast_character.get(span.start + i),
                order=i,
            )
            for i, p in enumerate(cast_rows.tolist())
        ],
        keywords=[catalog.keywords.name.text(int(k)) for k in catalog.keywords.of_movie.group(row)],
        budget=float(catalog.budget[row]),
        revenue=float(catalog.revenue[row]),
        return_=float(catalog.return_[row]),
        vote_average=_float(catalog.vote_average[row]),
        vote_count=int(catalog.vote_count[row]),
        popularity=_float(catalog.popularity[row]),
        weighted_rating=weighted_rating,
        poster_url=poster_url(catalog, row),
        imdb_id=catalog.imdb_id.get(row),
        homepage=catalog.homepage.get(row),
    )


@dataclass(frozen=True)
class PersonHit:
    id: int
    name: str
    films_as_actor: int
    films_as_director: int


PERSON_ROLES = {None: "any", "actor": "cast", "director": "director"}


def search_people(
    catalog: Catalog, q: str, limit: int = 20, offset: int = 0, role: str | None = None
) -> Page[PersonHit]:
    """People ranked as `queries.search` does, by the prominence of their films in `role`
    ('actor', 'director' or None for both); only people with films in that role."""
    query_key(q, "q")
    credits = PERSON_ROLES[role]
    ranking = rank_names(
        catalog.people_search,
        q,
        catalog.person_prominence[credits],
        min(offset + limit, MAX_RESULTS),
        allowed=has_credits(catalog, credits),
    )
    rows = [h.entity for h in ranking.hits[offset : offset + limit]]
    return Page(
        items=[
            PersonHit(
                id=int(catalog.person_key[r]),
                name=catalog.person_name.text(r),
                films_as_actor=catalog.cast.size(r),
                films_as_director=catalog.directed.size(r),
            )
            for r in rows
        ],
        total=min(ranking.total, MAX_RESULTS),
        limit=limit,
        offset=offset,
    )


@dataclass(frozen=True)
class PersonDetails:
    id: int
    name: str
    acting: ActorSuccess
    directing: DirectorSuccess
    acted_in: list[MovieRef]


def person_details(catalog: Catalog, person_id: int) -> PersonDetails:
    """Filmography as actor and as director, with the course's success figures."""
    row = catalog.person_row(person_id)
    if row is None:
        raise NotFoundError(f"no person with id {person_id}")
    films = sorted(
        (int(r) for r in catalog.cast.group(row)), key=lambda r: -int(catalog.release_days[r])
    )
    return PersonDetails(
        id=person_id,
        name=catalog.person_name.text(row),
        acting=actor_success_by_row(catalog, row),
        directing=director_success_by_row(catalog, row),
        acted_in=[movie_ref(catalog, r) for r in films],
    )


@dataclass(frozen=True)
class SemanticHit:
    movie: MovieCard
    score: float
    matched: list[str]


def semantic_search(
    catalog: Catalog, text_index: TextIndex, q: str, limit: int, offset: int
) -> Page[SemanticHit]:
    """Movies whose title, overview, tagline and keywords match a free-text description."""
    query_key(q, "q")
    hits, total = text_index.search(q, offset + limit, catalog.movie_prominence)
    return Page(
        items=[
            SemanticHit(card, round(h.score, 4), h.terms)
            for h, card in zip(
                hits[offset : offset + limit],
                movie_cards(catalog, [h.row for h in hits[offset : offset + limit]]),
                strict=True,
            )
        ],
        total=min(total, MAX_RESULTS),
        limit=limit,
        offset=offset,
    )
