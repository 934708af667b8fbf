"""Tracked runs: `cinerec train --track` and `cinerec evaluate --track` log MLflow runs into a
temporary store, read back here; the model manifest and `/readyz` carry the train run's id.

Marker `tracking`. Skipped when MLflow (install extra `tracking`) is absent on a developer's
machine; `.ci/run` installs the extra and sets CINEREC_REQUIRE_TRACKING=1, so in CI a missing
MLflow is a failure, never a skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cinerec.api.app import create_app
from cinerec.api.state import ServiceState
from cinerec.store import MODEL, resolve_build_dir
from cinerec.tracking import (
    STORE_FILE,
    TRACKING_ENV,
    metric_key,
    public_uri,
    read_run,
    tracking_available,
)

pytestmark = [pytest.mark.tracking, pytest.mark.timeout(600)]

if not tracking_available():
    if os.environ.get("CINEREC_REQUIRE_TRACKING") == "1":
        raise RuntimeError("the tracking tests are required here: MLflow is not installed")
    pytest.skip(
        "MLflow is not installed (make setup-tracking): tracking tests skipped",
        allow_module_level=True,
    )


def _cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The command in `cwd` (an MLflow store given by URI keeps artifacts in ./mlruns)."""
    environment = {k: v for k, v in os.environ.items() if k != TRACKING_ENV}
    return subprocess.run(
        [sys.executable, "-m", "cinerec.cli", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**environment, **(env or {})},
        cwd=cwd,
    )


@pytest.fixture(scope="module")
def catalog(demo_catalog_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tracked") / "catalog"
    shutil.copytree(demo_catalog_dir, out, symlinks=True)
    return out


def test_names_fit_for_mlflow() -> None:
    assert metric_key("hybrid (served weights)", "ndcg@10") == "hybrid_served_weights/ndcg_at_10"
    assert public_uri("https://u:secret@mlflow.example:5000/x") == "https://mlflow.example:5000/x"
    assert public_uri("sqlite:////tmp/a.db") == "sqlite:////tmp/a.db"


def test_tracked_train_logs_a_run_and_readyz_shows_it(catalog: Path) -> None:
    result = _cli("train", "--data", str(catalog), "--track", cwd=catalog.parent)
    assert result.returncode == 0, result.stderr
    model = resolve_build_dir(catalog) / MODEL
    manifest = json.loads((model / "model.json").read_text())
    run_id = manifest["tracking"]["run_id"]
    store = f"sqlite:///{(catalog / STORE_FILE).resolve()}"
    assert manifest["tracking"]["tracking_uri"] == store
    assert run_id in result.stdout
    run = read_run(store, run_id)
    assert run["status"] == "FINISHED"
    assert run["params"]["k"] == "50" and run["params"]["collaborative"] == "rp3beta"
    assert run["params"]["rp3beta.beta"] == "0.5"
    build = json.loads((resolve_build_dir(catalog) / "manifest.json").read_text())
    assert run["params"]["input.movies.sha256"] == build["inputs"]["movies"]["sha256"]
    assert run["metrics"]["fit_seconds"] == manifest["fit_seconds"]
    assert run["metrics"]["movies"] == manifest["movies"]
    assert "model.json" in run["artifacts"]
    assert {f"model/{p.name}" for p in model.iterdir()} <= set(run["artifacts"])
    # the artifacts live beside the store, in the catalogue directory
    assert (catalog / "mlartifacts").is_dir()
    with TestClient(create_app(state=ServiceState.load(catalog))) as client:
        assert client.get("/readyz").json()["model_run_id"] == run_id


def test_tracked_evaluate_logs_the_evaluation_table(catalog: Path, demo_raw: Path) -> None:
    store = catalog.parent / "server-store.db"
    uri = f"sqlite:///{store}"
    result = _cli(
        "evaluate",
        "--data",
        str(catalog),
        "--ratings",
        str(demo_raw / "ratings.csv"),
        "--links",
        str(demo_raw / "links.csv"),
        "--k",
        "5",
        "--out",
        str(catalog.parent / "reports"),
        env={TRACKING_ENV: uri},  # no --track: the environment variable is enough
        cwd=catalog.parent,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads((catalog.parent / "reports" / "evaluation.json").read_text())
    manifest = json.loads((resolve_build_dir(catalog) / MODEL / "model.json").read_text())
    run_id = manifest["metrics"]["run_id"]
    run = read_run(uri, run_id)
    assert run["status"] == "FINISHED"
    for name, scores in report["results"].items():
        for metric, value in scores.items():
            assert run["metrics"][metric_key(name, metric)] == pytest.approx(value)
    assert report["profiles"]
    for name, scores in report["profiles"].items():
        for metric, value in scores.items():
            assert run["metrics"][metric_key("profile", name, metric)] == pytest.approx(value)
    assert manifest["metrics"]["profiles"] == report["profiles"]
    assert any(target.get("interval") for target in report["targets"].values())
    for name, target in report["targets"].items():
        if target.get("interval"):
            low, high = target["interval"]
            assert run["metrics"][metric_key("target", name, "low")] == pytest.approx(low)
            assert run["metrics"][metric_key("target", name, "high")] == pytest.approx(high)
    assert manifest["metrics"]["targets"] == report["targets"]
    assert run["params"]["config.k"] == "5"
    assert {"evaluation.md", "evaluation.json", "model.json"} <= set(run["artifacts"])
    assert (catalog.parent / "mlruns").is_dir()  # MLflow's own default for such a store
    assert run["tags"]["cinerec.train_run_id"] == manifest["tracking"]["run_id"]


def test_without_the_flag_nothing_is_tracked(demo_catalog_dir: Path, tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    shutil.copytree(demo_catalog_dir, catalog, symlinks=True)
    result = _cli("train", "--data", str(catalog), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not (catalog / STORE_FILE).exists()
    manifest = json.loads((resolve_build_dir(catalog) / MODEL / "model.json").read_text())
    assert "tracking" not in manifest
