"""The FastAPI application: load the prebuilt catalogue once, then serve the routers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from cinerec import __version__
from cinerec.api.docs import docs_app
from cinerec.api.errors import install_error_handlers
from cinerec.api.fast import DirectRoutes
from cinerec.api.observability import Metrics, ObservabilityMiddleware
from cinerec.api.routers import browse, course, health, movies, recommendations, web
from cinerec.api.state import ServiceState
from cinerec.settings import Settings


def create_app(
    data_dir: Path | None = None,
    state: ServiceState | None = None,
    settings: Settings | None = None,
) -> FastAPI:
    """An app over the catalogue in `data_dir` (else the settings' data dir), or a preloaded
    state."""
    settings = settings or Settings()
    metrics = Metrics.create()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service = state or ServiceState.load(data_dir or settings.data_dir)
        app.state.service = service
        metrics.movies.set(len(service.catalog))
        model = service.recommender.manifest
        metrics.build_info.labels(
            service.catalog.version,
            str(model.get("model", "")),
            str(model.get("created", "")),
            __version__,
        ).set(1)
        yield

    # `/docs` and `/redoc` from local assets: they work on a machine without internet
    app = docs_app(
        title="cinerec",
        version=__version__,
        description=(
            "Movie analytics and recommendations over The Movies Dataset: the course's "
            "endpoints (Spanish) and operations."
        ),
        lifespan=lifespan,
        # metrics are Prometheus' (/metrics); FastAPI's OpenTelemetry hooks would only cost a
        # provider check per request
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.service = None
    app.state.metrics = metrics
    install_error_handlers(app)
    hot = [course.router, movies.router, browse.router, recommendations.router]
    app.add_middleware(DirectRoutes, routers=hot)  # innermost: CORS and metrics still apply
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["*"],
            expose_headers=["X-Request-ID"],
        )
    app.add_middleware(ObservabilityMiddleware, metrics=metrics)
    app.include_router(health.router)
    app.include_router(course.router)
    app.include_router(movies.router)
    app.include_router(browse.router)
    app.include_router(recommendations.router)
    app.include_router(web.router)
    web.mount_static(app)
    return app


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` (multi-worker serving): every setting from the
    environment, which `cinerec serve` fills in before starting the workers."""
    return create_app()
