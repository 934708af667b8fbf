"""`/api/v1` movies and people: search and details."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, ConfigDict, Field, JsonValue

from cinerec.api.errors import V1_ERRORS
from cinerec.api.state import ServiceState, get_state
from cinerec.queries import movies as q

router = APIRouter(prefix="/api/v1", tags=["movies and people"], responses=V1_ERRORS)
State = Annotated[ServiceState, Depends(get_state)]
Limit = Annotated[int, Query(ge=1, le=100)]
Offset = Annotated[int, Query(ge=0, le=10_000)]
SearchText = Annotated[str, Query(min_length=1, max_length=300, description="Text to look for")]


class MovieItem(BaseModel):
    id: int
    title: str
    year: int


class MovieCard(BaseModel):
    """A movie as a list shows it: enough for a card without another call."""

    id: int
    title: str
    year: int
    genres: list[str]
    vote_average: float | None
    vote_count: int
    poster_url: str | None


CARD_EXAMPLE: dict[str, JsonValue] = {
    "id": 862,
    "title": "Toy Story",
    "year": 1995,
    "genres": ["Animation", "Comedy", "Family"],
    "vote_average": 7.7,
    "vote_count": 5415,
    "poster_url": "https://image.tmdb.org/t/p/w342/rhIRbceoE9lR4veEXuwCC2wARtG.jpg",
}


class MoviePage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [CARD_EXAMPLE],
                    "total": 1,
                    "limit": 20,
                    "offset": 0,
                }
            ]
        }
    )
    items: list[MovieCard]
    total: int
    limit: int
    offset: int


class PersonRef(BaseModel):
    id: int
    name: str


class CastItem(BaseModel):
    id: int
    name: str
    character: str | None
    order: int


class Movie(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 862,
                    "title": "Toy Story",
                    "year": 1995,
                    "original_title": "Toy Story",
                    "release_date": "1995-10-30",
                    "genres": ["Animation", "Comedy", "Family"],
                    "collection": "Toy Story Collection",
                    "directors": [{"id": 7879, "name": "John Lasseter"}],
                    "budget": 30000000.0,
                    "revenue": 373554033.0,
                    "return": 12.45,
                }
            ]
        }
    )
    id: int
    title: str
    year: int
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
    directors: list[PersonRef]
    cast: list[CastItem]
    keywords: list[str]
    budget: float
    revenue: float
    return_: float = Field(default=0.0, serialization_alias="return")
    vote_average: float | None
    vote_count: int
    popularity: float | None
    weighted_rating: float | None
    poster_url: str | None
    imdb_id: str | None
    homepage: str | None


class PersonItem(BaseModel):
    id: int
    name: str
    films_as_actor: int
    films_as_director: int


class PersonPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "id": 525,
                            "name": "Christopher Nolan",
                            "films_as_actor": 1,
                            "films_as_director": 10,
                        }
                    ],
                    "total": 1,
                    "limit": 20,
                    "offset": 0,
                }
            ]
        }
    )
    items: list[PersonItem]
    total: int
    limit: int
    offset: int


class Success(BaseModel):
    films: int
    return_total: float
    return_mean: float


class Person(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 2710,
                    "name": "James Cameron",
                    "as_actor": {"films": 2, "return_total": 0.0, "return_mean": 0.0},
                    "films_with_return": 0,
                    "as_director": {"films": 12, "return_total": 54.23, "return_mean": 4.52},
                    "acted_in": [],
                    "directed": [{"id": 597, "title": "Titanic", "year": 1997}],
                }
            ]
        }
    )
    id: int
    name: str
    as_actor: Success
    films_with_return: int
    as_director: Success
    acted_in: list[MovieItem]
    directed: list[MovieItem]


@router.get("/movies/search", response_model=MoviePage)
async def search_movies(
    state: State,
    q_: Annotated[str, Query(alias="q", min_length=1, max_length=300)],
    year: Annotated[int | None, Query(ge=1800, le=2200)] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> MoviePage:
    """Titles and original titles: exact, without the article, every word, then typos; among
    equals the most voted first."""
    page = q.search_movies(state.catalog, q_, year, limit, offset)
    return MoviePage.model_validate(page, from_attributes=True)


@router.get("/movies/{movie_id}", response_model=Movie)
async def movie(movie_id: Annotated[int, Path(ge=0)], state: State) -> Movie:
    """Everything known about a movie."""
    row = state.catalog.row_of_id(movie_id)
    wr = float(state.recommender.weighted_rating[row]) if row is not None else None
    d = q.movie_details(state.catalog, movie_id, wr)
    return Movie(
        id=d.movie.id,
        title=d.movie.title,
        year=d.movie.year,
        original_title=d.original_title,
        release_date=d.release_date,
        overview=d.overview,
        tagline=d.tagline,
        runtime=d.runtime,
        genres=d.genres,
        collection=d.collection,
        companies=d.companies,
        countries=d.countries,
        spoken_languages=d.spoken_languages,
        original_language=d.original_language,
        directors=[PersonRef.model_validate(x) for x in d.directors],
        cast=[
            CastItem(id=c.person_id, name=c.name, character=c.character, order=c.order)
            for c in d.cast
        ],
        keywords=d.keywords,
        budget=d.budget,
        revenue=d.revenue,
        return_=d.return_,
        vote_average=d.vote_average,
        vote_count=d.vote_count,
        popularity=d.popularity,
        weighted_rating=d.weighted_rating,
        poster_url=d.poster_url,
        imdb_id=d.imdb_id,
        homepage=d.homepage,
    )


@router.get("/people/search", response_model=PersonPage)
async def search_people(
    state: State,
    q_: Annotated[str, Query(alias="q", min_length=1, max_length=300)],
    limit: Limit = 20,
    offset: Offset = 0,
    role: Annotated[
        Literal["actor", "director"] | None,
        Query(description="Only people with films in this role, ranked by them"),
    ] = None,
) -> PersonPage:
    """People by name: surnames, reversed order, typos, accents; the best known first."""
    page = q.search_people(state.catalog, q_, limit, offset, role)
    return PersonPage.model_validate(page, from_attributes=True)


@router.get("/people/{person_id}", response_model=Person)
async def person(person_id: int, state: State) -> Person:
    """Filmography as actor and as director, with the course's success figures."""
    d = q.person_details(state.catalog, person_id)
    return Person(
        id=d.id,
        name=d.name,
        as_actor=Success(
            films=d.acting.films,
            return_total=d.acting.return_total,
            return_mean=d.acting.return_mean,
        ),
        films_with_return=d.acting.films_with_return,
        as_director=Success(
            films=len(d.directing.films),
            return_total=d.directing.return_total,
            return_mean=d.directing.return_total / len(d.directing.films)
            if d.directing.films
            else 0.0,
        ),
        acted_in=[MovieItem(id=m.id, title=m.title, year=m.year) for m in d.acted_in],
        directed=[
            MovieItem(id=f.movie.id, title=f.movie.title, year=f.movie.year)
            for f in d.directing.films
        ],
    )


class SemanticItem(MovieCard):
    score: float
    matched: list[str]


class SemanticPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "id": 27205,
                            "title": "Inception",
                            "year": 2010,
                            "genres": ["Action", "Thriller", "Science Fiction", "Mystery"],
                            "vote_average": 8.1,
                            "vote_count": 14075,
                            "poster_url": None,
                            "score": 1.12,
                            "matched": ["dreams", "idea"],
                        }
                    ],
                    "total": 1,
                    "limit": 10,
                    "offset": 0,
                }
            ]
        }
    )
    items: list[SemanticItem]
    total: int
    limit: int
    offset: int


@router.get("/search/semantic", response_model=SemanticPage)
async def semantic_search(
    state: State,
    q_: Annotated[str, Query(alias="q", min_length=1, max_length=300)],
    limit: Limit = 10,
    offset: Offset = 0,
) -> SemanticPage:
    """Movies matching a plain-language description ("a clownfish looks for his lost son"):
    text embeddings and word matches combined, the better known first among equals."""
    page = q.semantic_search(state.catalog, state.text, q_, limit, offset)
    return SemanticPage(
        items=[
            SemanticItem(**h.movie._asdict(), score=h.score, matched=h.matched) for h in page.items
        ],
        total=page.total,
        limit=page.limit,
        offset=page.offset,
    )
