"""The FastAPI application: load the prebuilt catalogue once, then serve the routers."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from cinerec import __version__
from cinerec.api.errors import install_error_handlers
from cinerec.api.routers import browse, course, health, movies, recommendations, web
from cinerec.api.state import ServiceState

DATA_ENV = "CINEREC_DATA_DIR"


def create_app(data_dir: Path | None = None, state: ServiceState | None = None) -> FastAPI:
    """An app over the catalogue in `data_dir` (or $CINEREC_DATA_DIR), or a preloaded state."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if state is not None:
            app.state.service = state
        else:
            directory = data_dir or Path(os.environ.get(DATA_ENV, "data/catalog"))
            app.state.service = ServiceState.load(directory)
        yield

    app = FastAPI(
        title="cinerec",
        version=__version__,
        description=(
            "Movie analytics and recommendations over The Movies Dataset: the course's "
            "endpoints (Spanish) and operations."
        ),
        lifespan=lifespan,
    )
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(course.router)
    app.include_router(movies.router)
    app.include_router(browse.router)
    app.include_router(recommendations.router)
    app.include_router(web.router)
    web.mount_static(app)
    return app


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` (used by multi-worker serving)."""
    return create_app()
