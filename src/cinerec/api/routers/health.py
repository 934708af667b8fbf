"""Liveness, readiness and metrics: what a load balancer and Prometheus ask for."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST
from pydantic import BaseModel, Field

from cinerec.api.observability import Metrics
from cinerec.api.state import ServiceState
from cinerec.queries.resolve import suggestions_ready

router = APIRouter(tags=["operations"])


DEMO_NOTE = (
    "this is the small bundled demo catalogue, not The Movies Dataset: build from the real"
    " files with `cinerec build --raw PATH` (a directory or Kaggle's zip)"
)


class Health(BaseModel):
    status: str
    movies: int
    catalog_version: str
    demo: bool = Field(description="Serving the bundled demo catalogue, not real data")
    note: str | None = Field(None, description="What `demo` means, when it is true")


class Readiness(BaseModel):
    status: str
    movies: int
    catalog_version: str
    demo: bool = Field(description="Serving the bundled demo catalogue, not real data")
    note: str | None = Field(None, description="What `demo` means, when it is true")
    model: str
    model_created: str
    model_run_id: str  # the MLflow run that trained the model, "" when it was not tracked
    suggestions_warm: bool


class NotReady(BaseModel):
    status: str
    detail: str


def _service(request: Request) -> ServiceState | None:
    service: ServiceState | None = request.app.state.service
    return service


@router.get("/healthz", response_model=Health)
async def healthz(request: Request) -> Health:
    """Alive: the process answers. (The catalogue loads before the port opens, so an answer
    also means loaded; `/readyz` says so explicitly, with the artifact versions.)"""
    service = _service(request)
    if service is None:
        return Health(status="starting", movies=0, catalog_version="", demo=False, note=None)
    demo = service.catalog.demo
    return Health(
        status="ok",
        movies=len(service.catalog),
        catalog_version=service.catalog.version,
        demo=demo,
        note=DEMO_NOTE if demo else None,
    )


@router.get(
    "/readyz",
    response_model=Readiness,
    responses={503: {"model": NotReady, "description": "Catalogue or model not loaded yet"}},
)
async def readyz(request: Request) -> Response:
    """Ready to serve: the catalogue and the model are loaded; which build, which model."""
    service = _service(request)
    if service is None:
        return JSONResponse(
            status_code=503,
            content={"status": "loading", "detail": "the catalogue is not loaded yet"},
        )
    model = service.recommender.manifest
    body = Readiness(
        status="ready",
        movies=len(service.catalog),
        catalog_version=service.catalog.version,
        demo=service.catalog.demo,
        note=DEMO_NOTE if service.catalog.demo else None,
        model=str(model.get("model", "")),
        model_created=str(model.get("created", "")),
        model_run_id=str(model.get("tracking", {}).get("run_id", "")),
        suggestions_warm=suggestions_ready(service.catalog),
    )
    return Response(content=body.model_dump_json(), media_type="application/json")


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus text"}},
)
async def metrics(request: Request) -> Response:
    """Requests by route and status, latency histograms, catalogue size, artifact versions."""
    registry: Metrics = request.app.state.metrics
    return Response(content=registry.exposition(), media_type=CONTENT_TYPE_LATEST)
