"""The load benchmark's comparison points answer on the demo data, so they cannot rot unseen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from benchmarks import bench_load
from benchmarks.baseline.app import create_app
from benchmarks.baseline.prepare import prepare
from benchmarks.ceiling_app import app as ceiling_app
from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def baseline(demo_raw: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    out = tmp_path_factory.mktemp("baseline")
    prepare(demo_raw, out)
    with TestClient(create_app(out)) as client:
        yield client


def test_baseline_answers_the_seven_course_routes(baseline: TestClient) -> None:
    answers = {}
    for route in bench_load.ROUTES:
        if "baseline" not in route.servers:
            continue
        response = baseline.get(route.fixed)
        assert response.status_code == 200, route.fixed
        assert isinstance(response.json(), dict), (route.fixed, response.json())
        answers[route.key] = response.json()
    assert len(answers) == 7
    assert answers["mes"]["cantidad"] > 0 and answers["dia"]["cantidad"] > 0
    assert answers["score"]["titulo"] == "Toy Story" and answers["score"]["anio"] == 1995
    assert answers["votos"]["voto_total"] >= 2000
    assert answers["actor"]["cantidad_filmaciones"] > 0
    assert {p["titulo"] for p in answers["director"]["peliculas"]} >= {"Titanic"}
    recommended = answers["recomendacion"]["lista recomendada"]
    assert len(recommended) == 5 and "Toy Story" not in recommended


def test_baseline_unknown_input_is_an_error_string(baseline: TestClient) -> None:
    for url in [
        "/score_titulo/no such movie",
        "/get_actor/nobody at all",
        "/cantidad_filmaciones_mes/x",
    ]:
        response = baseline.get(url)
        assert response.status_code == 200
        assert bench_load.BASELINE_ERROR.search(response.json())


def test_ceiling_route() -> None:
    with TestClient(ceiling_app) as client:
        assert client.get("/noop").json() == {"ok": True}


def test_varied_pools_and_wrk_parsing(demo_catalog_dir: Path, tmp_path: Path) -> None:
    values = bench_load.pools(demo_catalog_dir, 50)
    assert values["titles"] and len(values["titles"]) == len(values["ids"])
    assert values["actors"] and values["directors"]
    assert all("/" not in v and " " not in v for v in values["titles"] + values["actors"])
    script = bench_load.lua_script(["/a", "/b"], tmp_path / "rotate.lua")
    assert '"/a"' in script.read_text()
    assert bench_load.to_ms("250.00us") == 0.25 and bench_load.to_ms("1.50s") == 1500.0
