"""The `cinerec` command: etl, build, train, serve. Errors are one line, never a traceback."""

from __future__ import annotations

import logging
import os
import sys
import time
from contextlib import AbstractContextManager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cinerec import __version__

if TYPE_CHECKING:
    from cinerec.catalog.loaded import Catalog
    from cinerec.etl.raw_input import RawInput
    from cinerec.recommend.model import RecommenderParams
    from cinerec.settings import Settings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="cinerec: movie analytics and recommendations over The Movies Dataset.",
)

RawDir = Annotated[
    Path,
    typer.Option(
        "--raw",
        envvar="CINEREC_RAW_DIR",
        help="The raw files: a directory (files at any depth), a .zip, or a directory holding"
        " a .zip [env CINEREC_RAW_DIR]",
    ),
]


class RatingsOption(StrEnum):
    small = "small"
    full = "full"


Ratings = Annotated[
    RatingsOption | None,
    typer.Option(
        "--ratings",
        help="Which MovieLens ratings file when both are there: ratings_small.csv or the full"
        " ratings.csv (the default)",
    ),
]
OutDir = Annotated[Path, typer.Option("--out", help="Catalogue directory to publish into")]
DataDir = Annotated[Path, typer.Option("--data", help="Catalogue directory (from `build`)")]


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=1)


def _summary(verb: str, rows_in: int, rows_out: int, seconds: float, where: Path) -> None:
    typer.echo(
        f"{verb}: {rows_in} movie rows in, {rows_out} movies out, {seconds:.1f} s -> {where}"
    )


def _print_quality(report: dict[str, object]) -> None:
    movies = report.get("movies", {})
    assert isinstance(movies, dict)
    dropped = movies.get("dropped", {})
    parts = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in dict(dropped).items())
    typer.echo(f"quality: {movies.get('rows_read')} rows read; dropped {parts}")
    nulls = dict(movies.get("nulls_per_column", {}))
    top = sorted(nulls.items(), key=lambda kv: -int(kv[1]))[:6]
    typer.echo("quality: most empty columns: " + ", ".join(f"{k} {v}" for k, v in top))


def _params() -> object:
    from cinerec.recommend.model import RecommenderParams

    return RecommenderParams()


def _raw_input(raw: Path, ratings: RatingsOption | None) -> RawInput:
    """The raw input, checked before anything is written; what was chosen, said first."""
    from cinerec.etl import EtlError
    from cinerec.etl.raw_input import find_raw_input

    try:
        found = find_raw_input(raw, ratings.value if ratings else None)
    except EtlError as exc:
        _fail(str(exc))
    if found.demo:
        typer.echo(
            f"demo: building the bundled demo dataset ({found.root}), not the real data; for"
            " the real data give --raw PATH (a directory or Kaggle's .zip) or set CINEREC_RAW_DIR"
        )
    for note in found.notes:
        typer.echo(note)
    return found


def _etl_into(
    raw: Path,
    out: Path,
    with_artifacts: bool,
    ratings: RatingsOption | None = None,
    raw_input: RawInput | None = None,
) -> None:
    from cinerec.build import build_catalog
    from cinerec.etl import EtlError
    from cinerec.progress import RichProgress
    from cinerec.recommend.model import RecommenderParams
    from cinerec.store import BuildLockedError, interrupts_remembered

    params = _params()
    assert isinstance(params, RecommenderParams)
    raw_input = raw_input or _raw_input(raw, ratings)
    if raw_input.in_zip:
        typer.echo(f"raw: extracting from {raw} into the build's temporary directory")
    started = time.perf_counter()
    try:
        with interrupts_remembered():
            result = build_catalog(
                raw,
                out,
                RichProgress(),
                artifacts=with_artifacts,
                params=params,
                raw_input=raw_input,
            )
    except (EtlError, BuildLockedError) as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted; the previous catalogue is unchanged")
    except OSError as exc:
        _fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
    except Exception as exc:  # a bug rather than bad input: still one line, nothing published
        detail = (str(exc).splitlines() or [""])[0]
        if detail == "Query interrupted":  # Ctrl-C during a DuckDB query comes back as this
            _fail("interrupted; the previous catalogue is unchanged")
        _fail(
            f"{'build' if with_artifacts else 'etl'} failed ({type(exc).__name__}: {detail});"
            " the previous catalogue is unchanged"
        )
    _print_quality(result.report)
    _summary(
        "build" if with_artifacts else "etl",
        result.rows_in,
        result.rows_out,
        time.perf_counter() - started,
        out,
    )


@app.command()
def etl(raw: RawDir, out: OutDir, ratings: Ratings = None) -> None:
    """Parse the raw files into normalized tables (Parquet + DuckDB) and a quality report."""
    _etl_into(raw, out, with_artifacts=False, ratings=ratings)


def _up_to_date(raw_input: RawInput, out: Path) -> bool:
    """True when the published build was made by this version from these exact raw files
    (a loose file's sha256, a zip member's CRC-32 and size: a zip is never extracted here)."""
    from cinerec.store import BUILD_FORMAT, CatalogNotFoundError, read_manifest, resolve_build_dir

    try:
        manifest = read_manifest(resolve_build_dir(out))
    except (CatalogNotFoundError, OSError, ValueError):
        return False
    if manifest.get("kind") != "build" or manifest.get("format") != BUILD_FORMAT:
        return False
    recorded = manifest.get("raw", {}).get("identity")
    try:
        return bool(recorded) and recorded == raw_input.identities()
    except OSError:
        return False


@app.command()
def build(
    raw: RawDir,
    out: OutDir,
    if_changed: Annotated[
        bool, typer.Option("--if-changed", help="Skip when the raw files are unchanged")
    ] = False,
    ratings: Ratings = None,
) -> None:
    """ETL plus every artifact the API needs (serving index, recommender)."""
    raw_input = _raw_input(raw, ratings)
    if if_changed and _up_to_date(raw_input, out):
        typer.echo(f"build: {out} is up to date with {raw}")
        return
    _etl_into(raw, out, with_artifacts=True, raw_input=raw_input)


Engine = Annotated[
    str,
    typer.Option(
        "--engine",
        help="Where the collaborative lists are computed: local (this process) or spark"
        " (RP3beta as a Spark job; install extra `spark`)",
    ),
]
SparkMaster = Annotated[
    str,
    typer.Option(
        "--spark-master",
        help="Spark master URL (local[*], local[2], spark://host:7077, yarn, k8s://...)"
        " or a Spark Connect URL sc://host:15002",
    ),
]
Collaborative = Annotated[
    str | None,
    typer.Option(
        "--collaborative",
        help="The collaborative signal: cosine or rp3beta (default: the model's default;"
        " rp3beta with --engine spark, the only one it has)",
    ),
]


def _train_params(engine: str, collaborative: str | None) -> RecommenderParams:
    from dataclasses import replace

    from cinerec.recommend.model import COLLABORATIVE, ENGINES, RecommenderParams

    if engine not in ENGINES:
        _fail(f"--engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if collaborative is not None and collaborative not in COLLABORATIVE:
        _fail(f"--collaborative must be one of {', '.join(COLLABORATIVE)}, not {collaborative!r}")
    params = _params()
    assert isinstance(params, RecommenderParams)
    if engine == "spark":
        if collaborative not in (None, "rp3beta"):
            _fail("the Spark engine computes RP3beta: use --collaborative rp3beta (or omit it)")
        collaborative = "rp3beta"
        from cinerec.recommend.spark_engine import EXTRA_HINT, java_problem, spark_available

        if not spark_available():
            _fail(EXTRA_HINT)
        problem = java_problem()
        if problem:
            _fail(problem)
    return replace(params, collaborative=collaborative) if collaborative else params


Track = Annotated[
    bool,
    typer.Option(
        "--track",
        help="Log the run in MLflow (install extra `tracking`): MLFLOW_TRACKING_URI, else a"
        " SQLite store in the catalogue directory; also on whenever MLFLOW_TRACKING_URI is set",
    ),
]


def _tracking(data: Path, track: bool, command: str) -> AbstractContextManager[Any]:
    """The MLflow run of a command when it is tracked, else a context that yields None."""
    from contextlib import nullcontext

    from cinerec.tracking import EXTRA_HINT, tracked_run, tracking_available, tracking_wanted

    if not tracking_wanted(track):
        return nullcontext()
    if not tracking_available():
        _fail(EXTRA_HINT)
    return tracked_run(_catalogue_root(data), command)


def _catalogue_root(data: Path) -> Path:
    """The catalogue directory of `--data` (which may name one of its builds)."""
    from cinerec.store import BUILDS, MANIFEST

    if (data / MANIFEST).is_file() and data.resolve().parent.name == BUILDS:
        return data.resolve().parent.parent
    return data


@app.command()
def train(
    data: DataDir,
    engine: Engine = "local",
    spark_master: SparkMaster = "local[*]",
    collaborative: Collaborative = None,
    track: Track = False,
) -> None:
    """Retrain the recommender of the published catalogue (written beside it, then swapped)."""
    import json
    import shutil

    from cinerec.progress import RichProgress
    from cinerec.recommend.model import MODEL_MANIFEST, HybridRecommender
    from cinerec.store import MODEL, CatalogNotFoundError, read_manifest, resolve_build_dir

    try:
        build_dir = resolve_build_dir(data)
    except CatalogNotFoundError as exc:
        _fail(str(exc))
    params = _train_params(engine, collaborative)
    staging = build_dir / f".{MODEL}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    inputs = read_manifest(build_dir).get("inputs", {})
    with _tracking(data, track, "train") as run:
        try:
            model = HybridRecommender(params).fit(
                build_dir, RichProgress(), engine=engine, spark_master=spark_master
            )
        except Exception as exc:  # a failed Spark job, a bad master URL: one line, no change
            detail = (str(exc).strip().splitlines() or [""])[0]
            _fail(f"train failed ({type(exc).__name__}: {detail}); the model is unchanged")
        extra: dict[str, Any] = {"inputs": inputs}
        if run is not None:
            extra["tracking"] = {"run_id": run.run_id, "tracking_uri": run.uri}
        model.save(staging, extra=extra)
        old = build_dir / f".{MODEL}.old"
        shutil.rmtree(old, ignore_errors=True)
        if (build_dir / MODEL).exists():
            (build_dir / MODEL).rename(old)
        staging.rename(build_dir / MODEL)
        shutil.rmtree(old, ignore_errors=True)
        if run is not None:
            from cinerec.tracking import log_training

            manifest = json.loads((build_dir / MODEL / MODEL_MANIFEST).read_text("utf-8"))
            log_training(run, inputs, manifest, build_dir / MODEL)
    typer.echo(
        f"train: {len(model.ids_)} movies, {model.fit_seconds_:.1f} s"
        f" (collaborative: {params.collaborative} on {engine}) -> {build_dir / MODEL}"
        + (f"; MLflow run {run.run_id} in {run.uri}" if run is not None else "")
    )


def _record_metrics(build_dir: Path, report: dict[str, object], run_id: str | None = None) -> None:
    """Keep the latest evaluation's headline numbers in the model manifest (atomic rewrite)."""
    import json

    from cinerec.recommend.model import MODEL_MANIFEST
    from cinerec.store import MODEL

    path = build_dir / MODEL / MODEL_MANIFEST
    if not path.is_file():
        return
    manifest = json.loads(path.read_text("utf-8"))
    manifest["metrics"] = {
        "results": report["results"],
        "profiles": report.get("profiles", {}),
        "targets": report["targets"],
        "data": report["data"],
        "config": report["config"],
        **({"run_id": run_id} if run_id else {}),
    }
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(manifest, indent=2), "utf-8")
    tmp.replace(path)


@app.command()
def evaluate(
    data: DataDir,
    ratings: Annotated[Path, typer.Option(help="MovieLens ratings CSV (ratings[_small].csv)")],
    links: Annotated[Path, typer.Option(help="MovieLens links CSV (links[_small].csv)")],
    k: Annotated[int, typer.Option(min=1, max=100, help="List length")] = 10,
    seed: Annotated[int, typer.Option(help="Seed of the user split and query draw")] = 0,
    out: Annotated[Path, typer.Option(help="Directory for evaluation.md/.json")] = Path("reports"),
    collaborative: Collaborative = None,
    track: Track = False,
) -> None:
    """Offline evaluation on held-out users against the baselines (Markdown + JSON report)."""
    import json

    from cinerec.progress import RichProgress
    from cinerec.recommend.evaluation import EvaluationConfig, evaluate, write_report
    from cinerec.recommend.model import MODEL_MANIFEST
    from cinerec.store import MODEL, CatalogNotFoundError, read_manifest, resolve_build_dir

    for path in (ratings, links):
        if not path.is_file():
            _fail(f"file not found: {path}")
    try:
        build_dir = resolve_build_dir(data)
    except CatalogNotFoundError as exc:
        _fail(str(exc))
    params = _train_params("local", collaborative)
    command = (
        f"cinerec evaluate --data {data} --ratings {ratings} --links {links} --k {k} --seed {seed}"
        + (f" --collaborative {collaborative}" if collaborative else "")
    )
    with _tracking(data, track, "evaluate") as run:
        report = evaluate(
            build_dir,
            ratings,
            links,
            EvaluationConfig(k=k, seed=seed),
            params=params,
            progress=RichProgress(),
        )
        md, js = write_report(report, out, command)
        _record_metrics(build_dir, report, run.run_id if run is not None else None)
        if run is not None:
            from cinerec.tracking import log_evaluation

            manifest_path = build_dir / MODEL / MODEL_MANIFEST
            manifest = (
                json.loads(manifest_path.read_text("utf-8")) if manifest_path.is_file() else None
            )
            inputs = read_manifest(build_dir).get("inputs", {})
            log_evaluation(run, report, inputs, manifest, [md, js])
    typer.echo(md.read_text("utf-8"))
    typer.echo(
        f"evaluate: report written to {md} and {js}"
        + (f"; MLflow run {run.run_id} in {run.uri}" if run is not None else "")
    )


@app.command()
def eda(
    data: DataDir,
    out: Annotated[Path, typer.Option("--out", help="HTML file to write")] = Path(
        "reports/eda.html"
    ),
) -> None:
    """The exploratory data analysis of a catalogue, as one self-contained HTML file."""
    from cinerec.eda import run_eda
    from cinerec.store import CatalogNotFoundError

    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        run_eda(data, out)
    except CatalogNotFoundError as exc:
        _fail(str(exc))


@app.command()
def serve(
    data: Annotated[
        Path | None,
        typer.Option("--data", help="Catalogue directory (from `build`) [env CINEREC_DATA_DIR]"),
    ] = None,
    host: Annotated[str | None, typer.Option(help="Interface to bind [env CINEREC_HOST]")] = None,
    port: Annotated[
        int | None, typer.Option(help="TCP port [env CINEREC_PORT or PORT]", min=1, max=65535)
    ] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, max=64, help="Worker processes [env CINEREC_WORKERS]")
    ] = None,
    log_level: Annotated[
        str | None, typer.Option(help="debug|info|warning|error [env CINEREC_LOG_LEVEL]")
    ] = None,
    log_format: Annotated[
        str | None, typer.Option(help="json|text [env CINEREC_LOG_FORMAT]")
    ] = None,
) -> None:
    """Serve the API (and `/docs`) over a built catalogue. Every option also comes from the
    environment (`CINEREC_*`), which is how the Docker image and Render configure it."""
    import atexit
    import logging.config
    import shutil
    import tempfile

    import uvicorn
    from pydantic import ValidationError

    from cinerec.api.observability import MULTIPROC_ENV, logging_config
    from cinerec.settings import Settings

    overrides: dict[str, Any] = {
        "data_dir": data,
        "host": host,
        "port": port,
        "workers": workers,
        "log_level": log_level,
        "log_format": log_format,
    }
    try:
        settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        _fail(f"invalid setting {where}: {first['msg']}")
    log_config = logging_config(settings.log_level, settings.log_format)
    logging.config.dictConfig(log_config)
    log = logging.getLogger("cinerec.serve")
    uvicorn_options = {
        "host": settings.host,
        "port": settings.port,
        "log_level": settings.log_level,
        "log_config": log_config,
        "access_log": False,  # the app logs each request itself, with its id and route
        "server_header": False,
    }
    if settings.workers == 1:
        from cinerec.api.app import create_app
        from cinerec.api.state import ServiceState
        from cinerec.store import CatalogNotFoundError

        try:
            state = ServiceState.load(settings.data_dir)
        except CatalogNotFoundError as exc:
            _fail(str(exc))
        log.info(
            "serving",
            extra={"fields": _serving_fields(settings, state.catalog)},
        )
        uvicorn.run(create_app(state=state, settings=settings), **uvicorn_options)  # type: ignore[arg-type]
        return
    from cinerec.catalog.loaded import load_catalog
    from cinerec.store import CatalogNotFoundError

    try:
        catalog = load_catalog(settings.data_dir)  # fail here, once, with one clear line
    except CatalogNotFoundError as exc:
        _fail(str(exc))
    # the workers rebuild the same settings from the environment
    for name, value in settings.model_dump().items():
        value = ",".join(value) if isinstance(value, list) else value
        os.environ[f"CINEREC_{name.upper()}"] = str(value)
    # each worker writes its metrics here; /metrics sums them
    if not os.environ.get(MULTIPROC_ENV):
        metrics_dir = tempfile.mkdtemp(prefix="cinerec-metrics-")
        os.environ[MULTIPROC_ENV] = metrics_dir
        atexit.register(shutil.rmtree, metrics_dir, ignore_errors=True)
    log.info("serving", extra={"fields": _serving_fields(settings, catalog)})
    uvicorn.run(
        "cinerec.api.app:app_from_env",
        factory=True,
        workers=settings.workers,
        **uvicorn_options,  # type: ignore[arg-type]
    )


def _serving_fields(settings: Settings, catalog: Catalog) -> dict[str, object]:
    if catalog.demo:
        logging.getLogger("cinerec.serve").warning(
            "serving the bundled DEMO catalogue, not real data: build from the real files with"
            " `cinerec build --raw PATH` (a directory or Kaggle's zip)"
        )
    return {
        "movies": len(catalog),
        "catalog_version": catalog.version,
        "demo": catalog.demo,
        "data_dir": str(settings.data_dir),
        "url": f"http://{settings.host}:{settings.port}",
        "workers": settings.workers,
    }


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
