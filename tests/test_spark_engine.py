"""RP3beta on Spark equals the local engine: on the demo catalogue, on a seeded synthetic set
with heavy users and ties, and through `cinerec train --engine spark`.

Marker `spark`. Skipped when PySpark (install extra `spark`) is absent on a developer's
machine; `.ci/run` installs the extra and sets CINEREC_REQUIRE_SPARK=1, so in CI a missing
PySpark or Java is a failure, never a skip. Budget: one `local[2]` session with 2 shuffle
partitions for the module, about a minute of Spark jobs on 2 cores.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cinerec.recommend.rp3beta import Rp3betaParams, rp3beta_neighbours
from cinerec.recommend.spark_engine import java_problem, spark_available
from cinerec.store import MODEL, TABLES, resolve_build_dir

from .rp3data import SYNTHETIC_PARAMS, assert_same_lists, synthetic_ratings, write_tables

pytestmark = [pytest.mark.spark, pytest.mark.timeout(600)]

_missing = (
    "PySpark is not installed (make setup-spark)" if not spark_available() else java_problem()
)
if _missing:
    if os.environ.get("CINEREC_REQUIRE_SPARK") == "1":
        raise RuntimeError(f"the Spark tests are required here: {_missing}")
    pytest.skip(f"{_missing}: Spark tests skipped", allow_module_level=True)

MASTER = "local[2]"
CONF = {"spark.sql.shuffle.partitions": "2", "spark.default.parallelism": "2"}


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from cinerec.recommend.spark_engine import spark_session

    session = spark_session(MASTER, conf=CONF)
    yield session
    session.stop()


def _spark_lists(tables: Path, n: int, params: Rp3betaParams) -> Any:
    from cinerec.recommend.spark_engine import spark_rp3beta_neighbours

    return spark_rp3beta_neighbours(str(tables), n, params, MASTER, CONF)


def test_parity_on_a_synthetic_set_with_heavy_users_and_ties(spark: Any, tmp_path: Path) -> None:
    users, items, ratings, ts, n = synthetic_ratings(seed=3)
    write_tables(tmp_path / TABLES, users, items, ratings, ts, n)
    local = rp3beta_neighbours(users, items, ratings, ts, n, SYNTHETIC_PARAMS)
    remote = _spark_lists(tmp_path / TABLES, n, SYNTHETIC_PARAMS)
    assert_same_lists(remote, local)
    assert (local[0][:, 0] >= 0).sum() > 60


def test_parity_on_the_demo_catalogue(spark: Any, demo_catalog_dir: Path) -> None:
    import pyarrow.parquet as pq

    from cinerec.recommend.model import _catalog_ratings

    build = resolve_build_dir(demo_catalog_dir)
    ids = np.asarray(pq.read_table(build / TABLES / "movies.parquet").column("id"), np.int64)
    params = Rp3betaParams(k=20)
    local = rp3beta_neighbours(*_catalog_ratings(build, ids), len(ids), params)
    remote = _spark_lists(build / TABLES, len(ids), params)
    assert_same_lists(remote, local)
    assert (local[0][:, 0] >= 0).sum() > 10


def _train(catalog: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cinerec.cli", "train", "--data", str(catalog), *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_cli_spark_training_serves_the_same_lists(demo_catalog_dir: Path, tmp_path: Path) -> None:
    from cinerec.catalog.arrays import load_array

    lists = {}
    for engine in ("local", "spark"):
        catalog = tmp_path / engine
        shutil.copytree(demo_catalog_dir, catalog, symlinks=True)
        extra = ["--spark-master", MASTER] if engine == "spark" else []
        result = _train(catalog, "--engine", engine, "--collaborative", "rp3beta", *extra)
        assert result.returncode == 0, result.stderr
        model = resolve_build_dir(catalog) / MODEL
        manifest = json.loads((model / "model.json").read_text())
        assert manifest["collaborative"]["engine"] == engine
        lists[engine] = (
            np.asarray(load_array(model, "cf_rows")),
            np.asarray(load_array(model, "cf_scores"), np.float32),
        )
    assert_same_lists(lists["spark"], lists["local"], rtol=1e-3)  # stored as float16


def test_cli_spark_with_cosine_is_one_clear_line(demo_catalog_dir: Path) -> None:
    result = _train(demo_catalog_dir, "--engine", "spark", "--collaborative", "cosine")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "error: the Spark engine computes RP3beta: use --collaborative rp3beta (or omit it)"
    ]
