"""Tracked training and evaluation runs in MLflow (install extra `tracking`).

`cinerec train --track` and `cinerec evaluate --track` (or either with MLFLOW_TRACKING_URI
set) log one run each: the parameters, the input files' hashes from the build manifest, the
metrics, the fit time, the model's manifest and (train) the model directory as artifacts.
Without MLFLOW_TRACKING_URI the store is embedded: a SQLite file and an artifact folder in the
catalogue directory, no server. MLflow is imported only here, only when a run is tracked:
serving never imports it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

TRACKING_ENV = "MLFLOW_TRACKING_URI"
EXPERIMENT = "cinerec"
STORE_FILE = "mlflow.db"
ARTIFACTS_DIR = "mlartifacts"
EXTRA_HINT = (
    "run tracking needs the `tracking` install extra: `make setup-tracking`"
    " (or `uv sync --extra tracking`)"
)


def tracking_available() -> bool:
    try:
        import mlflow  # noqa: F401
    except ImportError:
        return False
    return True


def tracking_wanted(flag: bool) -> bool:
    """`--track`, or a tracking server named in the environment."""
    return flag or bool(os.environ.get(TRACKING_ENV))


def tracking_uri(data_dir: Path) -> str:
    """MLFLOW_TRACKING_URI when set, else the catalogue directory's SQLite store."""
    return os.environ.get(TRACKING_ENV) or f"sqlite:///{(data_dir / STORE_FILE).resolve()}"


def public_uri(uri: str) -> str:
    """The URI without user and password, fit to be written into a manifest."""
    parts = urlsplit(uri)
    if parts.password is None and parts.username is None:
        return uri
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc))


def metric_key(*parts: str) -> str:
    """A name MLflow accepts ("hybrid/ndcg_at_10" for "hybrid", "ndcg@10")."""
    cleaned = [re.sub(r"[^0-9a-z]+", "_", p.lower().replace("@", "_at_")).strip("_") for p in parts]
    return "/".join(cleaned)


def flatten(values: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested parameters as dotted keys: {"rp3beta": {"alpha": 1}} -> {"rp3beta.alpha": 1}."""
    flat: dict[str, Any] = {}
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def input_hashes(inputs: dict[str, Any]) -> dict[str, str]:
    """The build manifest's input files as parameters: input.<name>.sha256 and .bytes."""
    params: dict[str, str] = {}
    for name, entry in inputs.items():
        params[f"input.{name}.file"] = str(entry.get("name", ""))
        params[f"input.{name}.sha256"] = str(entry.get("sha256", ""))
        params[f"input.{name}.bytes"] = str(entry.get("bytes", ""))
    return params


class TrackedRun:
    """What a command logs into its open run."""

    def __init__(self, run_id: str, uri: str) -> None:
        self.run_id = run_id
        self.uri = uri

    def params(self, values: dict[str, Any]) -> None:
        import mlflow

        flat = {k: str(v) for k, v in flatten(values).items()}
        keys = sorted(flat)
        for start in range(0, len(keys), 100):  # MLflow takes at most 100 per call
            mlflow.log_params({k: flat[k] for k in keys[start : start + 100]})

    def metrics(self, values: dict[str, float]) -> None:
        import mlflow

        mlflow.log_metrics({k: float(v) for k, v in values.items() if v is not None})

    def tags(self, values: dict[str, str]) -> None:
        import mlflow

        mlflow.set_tags(values)

    def json(self, payload: dict[str, Any], name: str) -> None:
        import mlflow

        mlflow.log_dict(payload, name)

    def directory(self, path: Path, name: str) -> None:
        import mlflow

        mlflow.log_artifacts(str(path), name)

    def file(self, path: Path) -> None:
        import mlflow

        mlflow.log_artifact(str(path))


@contextmanager
def tracked_run(data_dir: Path, command: str) -> Iterator[TrackedRun]:
    """Open a run in the experiment `cinerec`; it ends FAILED if the block raises."""
    import logging

    import mlflow

    logging.getLogger("mlflow").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    local = not os.environ.get(TRACKING_ENV)
    uri = tracking_uri(data_dir)
    mlflow.set_tracking_uri(uri)  # (which also sets MLFLOW_TRACKING_URI in os.environ)
    experiment = mlflow.get_experiment_by_name(EXPERIMENT)
    if experiment is None:
        location = (data_dir / ARTIFACTS_DIR).resolve().as_uri() if local else None
        experiment_id = mlflow.create_experiment(EXPERIMENT, artifact_location=location)
    else:
        experiment_id = experiment.experiment_id
    with mlflow.start_run(experiment_id=experiment_id, run_name=command) as run:
        mlflow.set_tag("cinerec.command", command)
        yield TrackedRun(run.info.run_id, public_uri(uri))


def read_run(uri: str, run_id: str) -> dict[str, Any]:
    """A logged run's parameters, metrics, tags and artifact paths (for tests and tools)."""
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=uri)
    run = client.get_run(run_id)

    def walk(path: str | None) -> list[str]:
        found: list[str] = []
        for item in client.list_artifacts(run_id, path):
            found += walk(item.path) if item.is_dir else [item.path]
        return found

    return {
        "status": run.info.status,
        "experiment_id": run.info.experiment_id,
        "params": dict(run.data.params),
        "metrics": dict(run.data.metrics),
        "tags": dict(run.data.tags),
        "artifacts": walk(None),
    }


def log_training(
    run: TrackedRun, inputs: dict[str, Any], model_manifest: dict[str, Any], model_dir: Path
) -> None:
    """A `cinerec train` run: every parameter, the input hashes, the fit times and counts,
    the manifest, and the model directory itself (what serving loads)."""
    run.params(
        {
            **model_manifest.get("params", {}),
            "collaborative_engine": model_manifest.get("collaborative", {}),
            **input_hashes(inputs),
        }
    )
    collaborative = model_manifest.get("collaborative", {})
    run.metrics(
        {
            "fit_seconds": model_manifest.get("fit_seconds", 0.0),
            "collaborative_seconds": collaborative.get("seconds", 0.0),
            "movies": model_manifest.get("movies", 0),
            "collaborative_users": model_manifest.get("collaborative_users", 0),
            "movies_with_collaborative_neighbours": model_manifest.get(
                "movies_with_collaborative_neighbours", 0
            ),
        }
    )
    run.tags({"cinerec.model": str(model_manifest.get("model", ""))})
    run.json(model_manifest, "model.json")
    run.directory(model_dir, "model")


def log_evaluation(
    run: TrackedRun,
    report: dict[str, Any],
    inputs: dict[str, Any],
    model_manifest: dict[str, Any] | None,
    report_files: list[Path],
) -> None:
    """A `cinerec evaluate` run: the protocol and model parameters, the input hashes, the
    evaluation table as metrics (recommender/metric; the taste profiles' as
    profile/recommender/metric), the targets' ratios and intervals, the time, the
    reports, and the manifest of the catalogue's model (its train run id as a tag)."""
    run.params(
        {"config": report.get("config", {}), **report.get("params", {}), **input_hashes(inputs)}
    )
    metrics: dict[str, float] = {"evaluation_seconds": float(report.get("seconds", 0.0))}
    for name, scores in report.get("results", {}).items():
        for metric, value in scores.items():
            metrics[metric_key(name, metric)] = value
    for name, scores in report.get("profiles", {}).items():
        for metric, value in scores.items():
            metrics[metric_key("profile", name, metric)] = value
    for name, target in report.get("targets", {}).items():
        value = target.get("ratio", target.get("value"))
        if value is not None:
            metrics[metric_key("target", name)] = value
        if target.get("interval"):
            metrics[metric_key("target", name, "low")] = target["interval"][0]
            metrics[metric_key("target", name, "high")] = target["interval"][1]
    for name, value in report.get("tuned_weights", {}).items():
        metrics[metric_key("tuned_weight", name)] = value
    run.metrics(metrics)
    for path in report_files:
        run.file(path)
    if model_manifest is not None:
        run.json(model_manifest, "model.json")
        trained_by = model_manifest.get("tracking", {}).get("run_id")
        if trained_by:
            run.tags({"cinerec.train_run_id": str(trained_by)})
