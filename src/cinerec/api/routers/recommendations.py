"""`/api/v1` recommendations: for one movie, and for a taste profile."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from cinerec.api.errors import BAD_BODY, V1_ERRORS
from cinerec.api.state import ServiceState, get_state
from cinerec.queries.errors import InvalidQueryError
from cinerec.queries.recommendations import (
    Filters,
    Recommendations,
    recommend_for_movie,
    recommend_for_profile,
)

router = APIRouter(prefix="/api/v1", tags=["recommendations"], responses=V1_ERRORS)


def json_response(model: BaseModel) -> Response:
    """Serialize once with pydantic-core; the model was built from trusted, typed values, so
    FastAPI's second validation of the response adds latency and no safety."""
    return Response(content=model.model_dump_json(by_alias=True), media_type="application/json")


Strategy = Literal["hybrid", "content", "collaborative", "popular"]
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


class ProfileRequest(BaseModel):
    model_config = ConfigDict(
        strict=True,
        json_schema_extra={
            "examples": [{"liked": [862, 155], "disliked": [597], "limit": 10, "filters": {}}]
        },
    )
    liked: list[int] = Field(min_length=1, max_length=100)
    disliked: list[int] = Field(default_factory=list, max_length=100)
    limit: int = Field(default=10, ge=1, le=100)
    strategy: Strategy = "hybrid"
    filters: ProfileFilters = Field(default_factory=ProfileFilters)


class ProfileRecommendations(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "liked": [{"id": 862, "title": "Toy Story", "year": 1995}],
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
    liked: list[MovieOut]
    strategy: str
    items: list[RecommendedOut]


def _items(result: Recommendations) -> list[RecommendedOut]:
    return [
        RecommendedOut(
            id=i.movie.id, title=i.movie.title, year=i.movie.year, score=i.score, reasons=i.reasons
        )
        for i in result.items
    ]


def _ids(text: str | None) -> tuple[int, ...]:
    if not text:
        return ()
    try:
        return tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise InvalidQueryError("exclude must be comma-separated movie ids") from None


@router.get("/movies/{movie_id}/recommendations", response_model=MovieRecommendations)
async def movie_recommendations_route(
    movie_id: int,
    state: State,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    strategy: Strategy = "hybrid",
    genre: Annotated[str | None, Query(description="Comma-separated genres, all required")] = None,
    year_from: Annotated[int | None, Query(ge=1800, le=2200)] = None,
    year_to: Annotated[int | None, Query(ge=1800, le=2200)] = None,
    min_votes: Annotated[int | None, Query(ge=0)] = None,
    exclude: Annotated[str | None, Query(description="Comma-separated movie ids")] = None,
) -> Response:
    """Movies like this one, with the reasons for each."""
    result = await movie_recommendations(
        movie_id, state, limit, strategy, genre, year_from, year_to, min_votes, exclude
    )
    return json_response(result)


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
    """Movies like this one, with the reasons for each."""
    filters = Filters(
        genres=tuple(g.strip() for g in (genre or "").split(",") if g.strip()),
        year_from=year_from,
        year_to=year_to,
        min_votes=min_votes,
        exclude_ids=_ids(exclude),
    )
    result = recommend_for_movie(
        state.catalog, state.recommender, movie_id, limit, strategy, filters
    )
    assert result.movie is not None
    return MovieRecommendations(
        movie=MovieOut(id=result.movie.id, title=result.movie.title, year=result.movie.year),
        strategy=result.strategy,
        items=_items(result),
        note=result.note,
    )


@router.post("/recommendations", response_model=ProfileRecommendations, responses=BAD_BODY)
async def profile_recommendations(request: ProfileRequest, state: State) -> Response:
    """Recommendations for a taste profile; never returns the liked or disliked movies."""
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
        request.liked,
        request.disliked,
        request.limit,
        request.strategy,
        filters,
    )
    return json_response(
        ProfileRecommendations(
            liked=[MovieOut(id=m.id, title=m.title, year=m.year) for m in result.liked],
            strategy=result.strategy,
            items=_items(result),
        )
    )
