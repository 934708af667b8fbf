"""Operations: settings from the environment, request ids, JSON logs, /metrics, /readyz, CORS,
and `cinerec serve` configured only by environment variables, as the Docker image runs it."""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cinerec.api.app import create_app
from cinerec.api.observability import JsonFormatter, request_id_var
from cinerec.api.state import ServiceState
from cinerec.settings import Settings

ENV_NAMES = [
    "CINEREC_DATA_DIR",
    "CINEREC_HOST",
    "CINEREC_PORT",
    "PORT",
    "CINEREC_WORKERS",
    "CINEREC_LOG_LEVEL",
    "CINEREC_LOG_FORMAT",
    "CINEREC_CORS_ORIGINS",
]


@pytest.fixture()
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_settings_defaults_and_environment(clean_env: pytest.MonkeyPatch) -> None:
    assert Settings().port == 8000 and Settings().workers == 1 and Settings().cors_origins == []
    clean_env.setenv("PORT", "10000")  # what Render sets
    assert Settings().port == 10000
    clean_env.setenv("CINEREC_PORT", "9000")
    clean_env.setenv("CINEREC_DATA_DIR", "/srv/catalog")
    clean_env.setenv("CINEREC_WORKERS", "3")
    clean_env.setenv("CINEREC_LOG_LEVEL", "WARNING")
    clean_env.setenv("CINEREC_CORS_ORIGINS", "https://a.example, https://b.example")
    settings = Settings()
    assert settings.port == 9000
    assert settings.data_dir == Path("/srv/catalog")
    assert settings.workers == 3
    assert settings.log_level == "warning"
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
    assert Settings(port=1234).port == 1234  # explicit values (the CLI's options) win


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CINEREC_PORT", "0"),
        ("CINEREC_PORT", "http"),
        ("CINEREC_WORKERS", "0"),
        ("CINEREC_LOG_LEVEL", "loud"),
    ],
)
def test_serve_rejects_bad_settings_in_one_line(
    clean_env: pytest.MonkeyPatch, tmp_path: Path, name: str, value: str
) -> None:
    env = {**os.environ, name: value, "CINEREC_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "cinerec.cli", "serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: invalid setting"), result.stderr


def test_request_id_is_propagated_or_generated(demo_client: TestClient) -> None:
    given = demo_client.get("/healthz", headers={"X-Request-ID": "trace-42.a:b"})
    assert given.headers["x-request-id"] == "trace-42.a:b"
    made = demo_client.get("/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["x-request-id"])
    assert made.headers["x-request-id"] != demo_client.get("/healthz").headers["x-request-id"]
    # a header that could forge log lines or overflow them is replaced, not echoed
    for hostile in ["a b", "x" * 200, "id\u202e", "<script>"]:
        answer = demo_client.get("/healthz", headers={"X-Request-ID": hostile.encode()})
        assert re.fullmatch(r"[0-9a-f]{32}", answer.headers["x-request-id"])
    # errors carry it too
    missing = demo_client.get("/api/v1/movies/999999999", headers={"X-Request-ID": "err-1"})
    assert missing.status_code == 404 and missing.headers["x-request-id"] == "err-1"


def test_one_access_log_record_per_request(
    demo_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="cinerec.access"):
        demo_client.get("/votos_titulo/toy story", headers={"X-Request-ID": "log-check-1"})
    records = [r for r in caplog.records if r.name == "cinerec.access"]
    assert len(records) == 1
    fields = records[0].fields  # type: ignore[attr-defined]
    assert fields["route"] == "/votos_titulo/{titulo:path}"
    assert fields["status"] == 200 and fields["path"] == "/votos_titulo/toy story"
    assert isinstance(fields["duration_ms"], float) and fields["duration_ms"] > 0
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["message"] == "request" and line["level"] == "info"
    assert line["route"] == fields["route"] and "time" in line


def test_json_formatter_carries_the_request_id_of_the_current_request() -> None:
    token = request_id_var.set("rid-7")
    try:
        record = logging.LogRecord(
            "cinerec.x", logging.ERROR, __file__, 1, "boom %s", ("now",), None
        )
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line == {
        "time": line["time"],
        "level": "error",
        "logger": "cinerec.x",
        "message": "boom now",
        "request_id": "rid-7",
    }


def _metric(text: str, name: str, **labels: str) -> float:
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        if all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} {labels} not in /metrics")


def test_metrics_count_requests_by_route_and_status(demo_state: ServiceState) -> None:
    with TestClient(create_app(state=demo_state), raise_server_exceptions=False) as client:
        for _ in range(3):
            assert client.get("/cantidad_filmaciones_mes/enero").status_code == 200
        assert client.get("/score_titulo/no such movie at all").status_code == 404
        assert client.get("/api/v1/movies/862/recommendations?limit=0").status_code == 422
        assert client.get("/definitely/not/a/route").status_code == 404
        response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    month = "/cantidad_filmaciones_mes/{mes}"
    assert _metric(text, "cinerec_http_requests_total", route=month, status="200") == 3
    assert (
        _metric(
            text, "cinerec_http_requests_total", route="/score_titulo/{titulo:path}", status="404"
        )
        == 1
    )
    assert (
        _metric(
            text,
            "cinerec_http_requests_total",
            route="/api/v1/movies/{movie_id}/recommendations",
            status="422",
        )
        == 1
    )
    # unknown paths share one label, so a scanner cannot blow up the series count
    assert _metric(text, "cinerec_http_requests_total", route="unmatched", status="404") == 1
    assert _metric(text, "cinerec_http_request_duration_seconds_count", route=month) == 3
    assert (
        _metric(text, "cinerec_http_request_duration_seconds_bucket", route=month, le="+Inf") == 3
    )
    assert _metric(text, "cinerec_catalog_movies") == len(demo_state.catalog)
    assert _metric(text, "cinerec_build_info", catalog_version=demo_state.catalog.version) == 1


def test_readyz_names_the_loaded_artifacts(
    demo_client: TestClient, demo_state: ServiceState
) -> None:
    body = demo_client.get("/readyz").json()
    assert body["status"] == "ready"
    assert body["movies"] == len(demo_state.catalog)
    assert body["catalog_version"] == demo_state.catalog.version
    assert body["model"] == demo_state.recommender.manifest["model"]
    assert body["model_created"] == demo_state.recommender.manifest["created"]
    assert isinstance(body["suggestions_warm"], bool)


def test_readyz_is_503_before_the_catalogue_is_loaded(demo_state: ServiceState) -> None:
    app = create_app(state=demo_state)
    client = TestClient(app)  # not entered: the lifespan (loading) has not run
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["status"] == "loading"
    assert client.get("/healthz").json()["status"] == "starting"


def test_cors_only_for_configured_origins(
    demo_state: ServiceState, clean_env: pytest.MonkeyPatch
) -> None:
    settings = Settings(cors_origins=["https://front.example"])
    with TestClient(create_app(state=demo_state, settings=settings)) as client:
        ok = client.get("/healthz", headers={"Origin": "https://front.example"})
        assert ok.headers["access-control-allow-origin"] == "https://front.example"
        other = client.get("/healthz", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
    with TestClient(create_app(state=demo_state)) as client:
        plain = client.get("/healthz", headers={"Origin": "https://front.example"})
        assert "access-control-allow-origin" not in plain.headers


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def served_from_env(demo_catalog_dir: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`cinerec serve` with no options at all: everything from the environment."""
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
    env.update(CINEREC_DATA_DIR=str(demo_catalog_dir), PORT=str(port), CINEREC_HOST="127.0.0.1")
    with log.open("w") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "cinerec.cli", "serve"], env=env, stdout=sink, stderr=sink
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/readyz", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "serve did not become ready in 60 s"
            time.sleep(0.1)
        yield base, log
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_serve_from_environment_logs_json_with_request_ids(
    served_from_env: tuple[str, Path],
) -> None:
    base, log = served_from_env
    request = urllib.request.Request(base + "/score_titulo/toy story".replace(" ", "%20"))
    request.add_header("X-Request-ID", "from-the-balancer-1")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["X-Request-ID"] == "from-the-balancer-1"
    with urllib.request.urlopen(base + "/metrics", timeout=10) as response:
        assert b"cinerec_http_requests_total" in response.read()
    deadline = time.monotonic() + 10
    while "from-the-balancer-1" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    assert any(line["message"] == "serving" for line in lines)
    access = [line for line in lines if line.get("request_id") == "from-the-balancer-1"]
    assert len(access) == 1
    assert access[0]["route"] == "/score_titulo/{titulo:path}" and access[0]["status"] == 200
    assert access[0]["duration_ms"] > 0


def test_serving_does_not_import_the_build_libraries() -> None:
    """Startup time is mostly imports: the service reads prebuilt arrays, so SciPy,
    scikit-learn, LightGBM, DuckDB and pandas (0.5 s for SciPy alone) stay unimported."""
    heavy = ("scipy", "sklearn", "lightgbm", "duckdb", "pandas")
    code = (
        "import sys, cinerec.api.app, cinerec.api.state; "
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
