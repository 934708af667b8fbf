"""Liveness and readiness."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from cinerec.api.state import ServiceState, get_state

router = APIRouter(tags=["operations"])


class Health(BaseModel):
    status: str
    movies: int
    catalog_version: str


@router.get("/healthz", response_model=Health)
async def healthz(state: Annotated[ServiceState, Depends(get_state)]) -> Health:
    """200 once the catalogue is loaded (the app only starts serving after loading it)."""
    return Health(status="ok", movies=len(state.catalog), catalog_version=state.catalog.version)
