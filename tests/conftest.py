"""Shared fixtures: catalogues built once per session from the demo data and the real data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cinerec.api.app import create_app
from cinerec.api.state import ServiceState
from cinerec.build import build_catalog

from .served import Served, serve_catalog

DEMO_RAW = Path(__file__).resolve().parents[1] / "src" / "cinerec" / "demo_data"
REAL_RAW_ENV = "CINEREC_TEST_RAW_DIR"


@pytest.fixture(scope="session")
def demo_raw() -> Path:
    return DEMO_RAW


@pytest.fixture(scope="session")
def demo_catalog_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "catalog"
    build_catalog(DEMO_RAW, out)
    return out


@pytest.fixture(scope="session")
def demo_state(demo_catalog_dir: Path) -> ServiceState:
    return ServiceState.load(demo_catalog_dir)


@pytest.fixture(scope="session")
def demo_client(demo_state: ServiceState) -> Iterator[TestClient]:
    with TestClient(create_app(state=demo_state), raise_server_exceptions=False) as client:
        yield client


def real_raw_dir() -> Path | None:
    value = os.environ.get(REAL_RAW_ENV)
    return Path(value) if value else None


@pytest.fixture(scope="session")
def real_raw() -> Path:
    raw = real_raw_dir()
    if raw is None:
        pytest.skip(f"{REAL_RAW_ENV} is not set: integration tests on the real data skipped")
    assert raw.is_dir(), f"{REAL_RAW_ENV}={raw} is not a directory"
    return raw


@pytest.fixture(scope="session")
def real_catalog_dir(real_raw: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("real") / "catalog"
    build_catalog(real_raw, out)
    return out


@pytest.fixture(scope="session")
def real_client(real_catalog_dir: Path) -> Iterator[TestClient]:
    app = create_app(state=ServiceState.load(real_catalog_dir))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="session")
def demo_server(
    demo_catalog_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """One real server over the demo catalogue, shared by the hostile-input and concurrency
    suites (each checks it is still alive and serving afterwards)."""
    log = tmp_path_factory.mktemp("served") / "serve.log"
    with serve_catalog(demo_catalog_dir, log) as served:
        yield served
