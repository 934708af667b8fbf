"""The web page at `/`, and the two view endpoints that give each page one round trip."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict

from cinerec.api.errors import V1_ERRORS
from cinerec.api.routers import browse, movies, recommendations
from cinerec.api.state import ServiceState, get_state

STATIC = Path(__file__).resolve().parents[2] / "web" / "static"

router = APIRouter(tags=["web page"])
State = Annotated[ServiceState, Depends(get_state)]


_EXTRA: Any = recommendations.MovieRecommendations.model_config["json_schema_extra"]
_RECOMMENDATIONS_EXAMPLE: dict[str, Any] = _EXTRA["examples"][0]


class MovieView(BaseModel):
    """`similar`: the movies of the same kind (what a film fan calls similar,
    `strategy=similar`); `recommendations`: the default blend, which adds what the same
    viewers liked. The page shows both, so neither question hides the other."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "movie": movies.Movie.model_config["json_schema_extra"]["examples"][0],  # type: ignore[index]
                    "similar": _RECOMMENDATIONS_EXAMPLE | {"strategy": "similar"},
                    "recommendations": _RECOMMENDATIONS_EXAMPLE,
                }
            ]
        }
    )
    movie: movies.Movie
    similar: recommendations.MovieRecommendations
    recommendations: recommendations.MovieRecommendations


class StatsView(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "by_month": [{"key": "enero", "count": 5909}],
                    "by_weekday": [{"key": "lunes", "count": 3500}],
                    "by_year": [{"key": "1995", "count": 614}],
                    "top_collections": [
                        {"name": "Harry Potter Collection", "value": 7.7e9, "count": 8}
                    ],
                    "top_companies": [{"name": "Warner Bros.", "value": 6.3e10, "count": 1194}],
                }
            ]
        }
    )
    by_month: list[browse.Bucket]
    by_weekday: list[browse.Bucket]
    by_year: list[browse.Bucket]
    top_collections: list[browse.TopEntry]
    top_companies: list[browse.TopEntry]


@router.get("/", include_in_schema=False)
async def index() -> FileResponse:
    return FileResponse(STATIC / "index.html", media_type="text/html")


@router.get("/favicon.ico", include_in_schema=False)
async def favicon() -> FileResponse:
    """The page's ▶ logo (drawn by tools/make_favicon.py; favicon.svg is the same picture)."""
    return FileResponse(
        STATIC / "favicon.ico",
        media_type="image/x-icon",
        headers={"Cache-Control": "public, max-age=86400"},
    )


@router.get("/api/v1/views/movie/{movie_id}", response_model=MovieView, responses=V1_ERRORS)
async def movie_view(
    movie_id: int,
    state: State,
    genre: Annotated[str | None, Query(max_length=300)] = None,
    year_from: Annotated[int | None, Query(ge=1800, le=2200)] = None,
    year_to: Annotated[int | None, Query(ge=1800, le=2200)] = None,
) -> MovieView:
    """A movie page: details, and its similar movies and recommendations (filtered, with
    reasons)."""
    details = await movies.movie(movie_id, state)

    async def top(strategy: recommendations.Strategy) -> recommendations.MovieRecommendations:
        return await recommendations.movie_recommendations(
            movie_id, state, limit=12, strategy=strategy, genre=genre, year_from=year_from,
            year_to=year_to, min_votes=None, exclude=None,
        )  # fmt: skip

    return MovieView(
        movie=details, similar=await top("similar"), recommendations=await top("hybrid")
    )


@router.get("/api/v1/views/stats", response_model=StatsView)
async def stats_view(state: State) -> StatsView:
    """The stats page: releases by month, weekday and year; top collections and companies."""
    month = await browse.stats_releases(state, "month")
    weekday = await browse.stats_releases(state, "weekday")
    year = await browse.stats_releases(state, "year")
    collections = await browse.stats_top(state, "collection", "revenue", None, "desc", 10)
    companies = await browse.stats_top(state, "company", "revenue", None, "desc", 10)
    return StatsView(
        by_month=month.items,
        by_weekday=weekday.items,
        by_year=year.items,
        top_collections=collections.items,
        top_companies=companies.items,
    )


def mount_static(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
