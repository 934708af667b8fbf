"""`/api/v1` recommendations: for one movie, and for a taste profile."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from cinerec.api import fast
from cinerec.api.errors import BAD_BODY, V1_ERRORS
from cinerec.api.state import ServiceState, get_state
from cinerec.queries.errors import InvalidQueryError
from cinerec.queries.recommendations import (
    Filters,
    MovieName,
    Recommendations,
    TitleRef,
    recommend_for_movie,
    recommend_for_profile,
)

router = APIRouter(prefix="/api/v1", tags=["recommendations"], responses=V1_ERRORS)


# hybrid: the default blend (what the same viewers liked too); similar: what a film fan calls
# similar (`/recomendacion`'s list); content: the same without any rating (a cold start's)
Strategy = Literal["hybrid", "similar", "content", "collaborative", "popular"]
State = Annotated[ServiceState, Depends(get_state)]


class MovieOut(BaseModel):
    id: int
    title: str
    year: int


class RecommendedOut(BaseModel):
    id: int
    title: str
    year: int
    score: float
    reasons: list[str]


class MovieRecommendations(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "movie": {"id": 155, "title": "The Dark Knight", "year": 2008},
                    "strategy": "hybrid",
                    "items": [
                        {
                            "id": 272,
                            "title": "Batman Begins",
                            "year": 2005,
                            "score": 0.93,
                            "reasons": [
                                "same director: Christopher Nolan",
                                "same collection: The Dark Knight Collection",
                            ],
                        }
                    ],
                    "note": None,
                }
            ]
        }
    )
    movie: MovieOut
    strategy: str
    items: list[RecommendedOut]
    note: str | None = None


class ProfileFilters(BaseModel):
    model_config = ConfigDict(strict=True)  # JSON ids are integers: no true -> 1, "1" -> 1
    genre: list[str] = Field(default_factory=list, description="All of these genres")
    year_from: int | None = Field(default=None, ge=1800, le=2200)
    year_to: int | None = Field(default=None, ge=1800, le=2200)
    min_votes: int | None = Field(default=None, ge=0)
    exclude: list[int] = Field(default_factory=list)


class TitleIn(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")
    title: str = Field(min_length=1, max_length=300)
    year: int | None = Field(default=None, ge=1800, le=2200)


# a movie by TMDB id, by title, or by title and year
MovieIn = int | Annotated[str, Field(min_length=1, max_length=300)] | TitleIn


class ProfileRequest(BaseModel):
    model_config = ConfigDict(
        strict=True,
        json_schema_extra={
            "examples": [
                {
                    "liked": [862, "finding nemo", {"title": "Amélie", "year": 2001}],
                    "disliked": [597],
                    "limit": 10,
                    "filters": {},
                }
            ]
        },
    )
    liked: list[MovieIn] = Field(
        min_length=1, max_length=100, description="Ids, titles, or {title, year}"
    )
    disliked: list[MovieIn] = Field(default_factory=list, max_length=100)
    limit: int = Field(default=10, ge=1, le=100)
    strategy: Strategy = "hybrid"
    filters: ProfileFilters = Field(default_factory=ProfileFilters)


class ResolvedOut(MovieOut):
    """A liked movie and what the request named it by (its id, or the title sent)."""

    requested: int | str


class ProfileRecommendations(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "liked": [
                        {"id": 862, "title": "Toy Story", "year": 1995, "requested": 862},
                        {"id": 12, "title": "Finding Nemo", "year": 2003, "requested": "nemo"},
                    ],
                    "strategy": "hybrid",
                    "items": [
                        {
                            "id": 863,
                            "title": "Toy Story 2",
                            "year": 1999,
                            "score": 0.91,
                            "reasons": ["same collection: Toy Story Collection"],
                        }
                    ],
                }
            ]
        }
    )
    liked: list[ResolvedOut]
    strategy: str
    items: list[RecommendedOut]


class RecommendationQuery(BaseModel):
    """The query of `GET /movies/{id}/recommendations` (parsed by `fast.parse_query`)."""

    model_config = ConfigDict(frozen=True)  # parse_query shares instances

    limit: int = Field(default=10, ge=1, le=100)
    strategy: Strategy = "hybrid"
    genre: str | None = Field(default=None, description="Comma-separated genres, all required")
    year_from: int | None = Field(default=None, ge=1800, le=2200)
    year_to: int | None = Field(default=None, ge=1800, le=2200)
    min_votes: int | None = Field(default=None, ge=0)
    exclude: str | None = Field(default=None, description="Comma-separated movie ids")


def _item_dicts(result: Recommendations) -> list[dict[str, Any]]:
    return [
        {
            "id": i.movie.id,
            "title": i.movie.title,
            "year": i.movie.year,
            "score": i.score,
            "reasons": i.reasons,
        }
        for i in result.items
    ]


def _ids(text: str | None) -> tuple[int, ...]:
    if not text:
        return ()
    try:
        return tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise InvalidQueryError("exclude must be comma-separated movie ids") from None


@router.get(
    "/movies/{movie_id}/recommendations",
    response_model=MovieRecommendations,
    openapi_extra=fast.query_openapi(RecommendationQuery),
)
async def movie_recommendations_route(movie_id: int, request: Request) -> Response:
    """Movies like this one, with the reasons for each."""
    q = fast.parse_query(request, RecommendationQuery)
    result = _movie_recommendations(
        await get_state(request),
        movie_id,
        q.limit,
        q.strategy,
        q.genre,
        q.year_from,
        q.year_to,
        q.min_votes,
        q.exclude,
    )
    return fast.json_response(_recommendations_dict(result))


async def movie_recommendations(
    movie_id: int,
    state: State,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    strategy: Strategy = "hybrid",
    genre: Annotated[str | None, Query(description="Comma-separated genres, all required")] = None,
    year_from: Annotated[int | None, Query(ge=1800, le=2200)] = None,
    year_to: Annotated[int | None, Query(ge=1800, le=2200)] = None,
    min_votes: Annotated[int | None, Query(ge=0)] = None,
    exclude: Annotated[str | None, Query(description="Comma-separated movie ids")] = None,
) -> MovieRecommendations:
    """Movies like this one, with the reasons for each (as a model, for the web page)."""
    result = _movie_recommendations(
        state, movie_id, limit, strategy, genre, year_from, year_to, min_votes, exclude
    )
    return MovieRecommendations.model_validate(_recommendations_dict(result))


def _movie_recommendations(
    state: ServiceState,
    movie_id: int,
    limit: int,
    strategy: str,
    genre: str | None,
    year_from: int | None,
    year_to: int | None,
    min_votes: int | None,
    exclude: str | None,
) -> Recommendations:
    filters = Filters(
        genres=tuple(g.strip() for g in (genre or "").split(",") if g.strip()),
        year_from=year_from,
        year_to=year_to,
        min_votes=min_votes,
        exclude_ids=_ids(exclude),
    )
    return recommend_for_movie(state.catalog, state.recommender, movie_id, limit, strategy, filters)


def _recommendations_dict(result: Recommendations) -> dict[str, Any]:
    """The `MovieRecommendations` shape as plain data."""
    assert result.movie is not None
    movie = result.movie
    return {
        "movie": {"id": movie.id, "title": movie.title, "year": movie.year},
        "strategy": result.strategy,
        "items": _item_dicts(result),
        "note": result.note,
    }


def _name(movie: int | str | TitleIn) -> MovieName:
    if isinstance(movie, int):
        return movie
    if isinstance(movie, str):
        return TitleRef(movie)
    return TitleRef(movie.title, movie.year)


def _requested(movie: int | str | TitleIn) -> int | str:
    if isinstance(movie, TitleIn):
        return movie.title if movie.year is None else f"{movie.title} ({movie.year})"
    return movie


@router.post("/recommendations", response_model=ProfileRecommendations, responses=BAD_BODY)
async def profile_recommendations(request: ProfileRequest, state: State) -> Response:
    """Recommendations for a taste profile of movies named by id, title or {title, year};
    each liked movie says what it was resolved from; never returns the liked or disliked."""
    f = request.filters
    filters = Filters(
        genres=tuple(f.genre),
        year_from=f.year_from,
        year_to=f.year_to,
        min_votes=f.min_votes,
        exclude_ids=tuple(f.exclude),
    )
    result = recommend_for_profile(
        state.catalog,
        state.recommender,
        [_name(m) for m in request.liked],
        [_name(m) for m in request.disliked],
        request.limit,
        request.strategy,
        filters,
    )
    return fast.json_response(
        {
            "liked": [
                {"id": m.id, "title": m.title, "year": m.year, "requested": _requested(asked)}
                for m, asked in zip(result.liked, request.liked, strict=True)
            ],
            "strategy": result.strategy,
            "items": _item_dicts(result),
        }
    )
