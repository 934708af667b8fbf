"""`/api/v1` discover and statistics."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from cinerec.api.errors import V1_ERRORS
from cinerec.api.routers.movies import CARD_EXAMPLE, ConfigDict, MovieCard
from cinerec.api.state import ServiceState, get_state
from cinerec.queries import browse

router = APIRouter(prefix="/api/v1", tags=["discover and statistics"], responses=V1_ERRORS)
State = Annotated[ServiceState, Depends(get_state)]
Year = Annotated[int | None, Query(ge=1800, le=2200)]
Text = Annotated[str | None, Query(min_length=1, max_length=300)]


class DiscoverMovie(MovieCard):
    value: float | None


class DiscoverPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [{**CARD_EXAMPLE, "value": 7.7}],
                    "total": 1,
                    "limit": 20,
                    "offset": 0,
                }
            ]
        }
    )
    items: list[DiscoverMovie]
    total: int
    limit: int
    offset: int


class Bucket(BaseModel):
    key: str
    count: int


class Releases(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"by": "month", "items": [{"key": "enero", "count": 5909}]}]
        }
    )
    by: str
    items: list[Bucket]


class TopEntry(BaseModel):
    name: str
    value: float
    count: int
    id: str | None = None


class Top(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "entity": "collection",
                    "metric": "revenue",
                    "year": None,
                    "items": [{"name": "Harry Potter Collection", "value": 7.7e9, "count": 8}],
                }
            ]
        }
    )
    entity: str
    metric: str
    year: int | None
    items: list[TopEntry]


@router.get("/discover", response_model=DiscoverPage)
async def discover(
    state: State,
    genre: Annotated[
        str | None, Query(max_length=300, description="Drama,Crime = all; Drama|Crime = any")
    ] = None,
    year_from: Year = None,
    year_to: Year = None,
    language: Text = None,
    country: Text = None,
    company: Text = None,
    collection: Text = None,
    min_votes: Annotated[int | None, Query(ge=0)] = None,
    sort: Literal[
        "popularity",
        "vote_average",
        "weighted_rating",
        "revenue",
        "return",
        "release_date",
        "budget",
        "vote_count",
    ] = "popularity",
    order: Literal["asc", "desc"] = "desc",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> DiscoverPage:
    """Movies by genre, years, language, country, company, collection and votes, sorted."""
    page = browse.discover(
        state.catalog,
        state.recommender.weighted_rating,
        genre=genre,
        year_from=year_from,
        year_to=year_to,
        language=language,
        country=country,
        company=company,
        collection=collection,
        min_votes=min_votes,
        sort=sort,
        order=order,
        limit=limit,
        offset=offset,
    )
    return DiscoverPage(
        items=[DiscoverMovie(**i.movie._asdict(), value=i.value) for i in page.items],
        total=page.total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/stats/releases", response_model=Releases)
async def stats_releases(
    state: State, by: Literal["month", "weekday", "year"] = "month"
) -> Releases:
    """Movies released per month, weekday or year."""
    items = browse.releases(state.catalog, by)
    return Releases(by=by, items=[Bucket(key=b.key, count=b.count) for b in items])


@router.get("/stats/top", response_model=Top)
async def stats_top(
    state: State,
    entity: Literal[
        "collection", "company", "country", "genre", "language", "movie"
    ] = "collection",
    metric: Literal["revenue", "count", "return", "budget"] = "revenue",
    year: Year = None,
    order: Literal["asc", "desc"] = "desc",
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> Top:
    """Top entities by revenue, count, mean return or budget, over all years or one year."""
    items = browse.top(state.catalog, entity, metric, year, limit, order)
    return Top(
        entity=entity,
        metric=metric,
        year=year,
        items=[TopEntry(name=e.name, value=e.value, count=e.count, id=e.id) for e in items],
    )
