"""ETL faults through the real command line: broken raw files and builds killed part way.

Each broken input must give a non-zero exit and exactly one clear stderr line starting with
`error:` (no traceback), publish nothing (`current` unchanged, no staging left behind), and
the previous catalogue must still load and serve. The raw files are copies of the bundled
demo data, corrupted in tmp_path.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cinerec.api.app import create_app
from cinerec.api.state import ServiceState
from cinerec.build import build_catalog
from cinerec.store import BUILDS, CURRENT, interrupts_remembered, staged_build

DEMO_RAW = Path(__file__).resolve().parents[1] / "src" / "cinerec" / "demo_data"
CLI_EXE = Path(sys.executable).with_name("cinerec")
CLI = [str(CLI_EXE)] if CLI_EXE.is_file() else [sys.executable, "-m", "cinerec.cli"]


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("CINEREC_")}


def _build(raw: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """`cinerec build` through the real command line, to the end."""
    return subprocess.run(
        [*CLI, "build", "--raw", str(raw), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env=_env(),
    )


def copy_raw(dst: Path) -> Path:
    shutil.copytree(DEMO_RAW, dst, ignore=shutil.ignore_patterns("README.md", "*.py"))
    return dst


def copy_catalogue(src: Path, dst: Path) -> Path:
    """A copy of a published catalogue (`current` is a relative symlink, kept as one)."""
    shutil.copytree(src, dst, symlinks=True)
    return dst


def published(out: Path) -> str:
    return os.readlink(out / CURRENT)


def assert_still_serves(out: Path, version: str) -> None:
    """The catalogue in `out` loads and answers, and it is the build named `version`."""
    state = ServiceState.load(out)
    assert state.catalog.build_dir.name == Path(version).name
    with TestClient(create_app(state=state), raise_server_exceptions=False) as client:
        assert client.get("/healthz").json()["status"] == "ok"
        answer = client.get("/score_titulo/Toy Story")
        assert answer.status_code == 200 and answer.json()["titulo"] == "Toy Story"
        assert client.get("/api/v1/movies/862/recommendations").status_code == 200


# ---------------------------------------------------------------------------------------------
# Corruptions of a raw directory


def _gzip_truncated(raw: Path, name: str) -> None:
    data = gzip.compress((raw / name).read_bytes())
    (raw / name).unlink()
    (raw / f"{name}.gz").write_bytes(data[: len(data) // 2])


def _long_ratings_truncated(raw: Path) -> None:
    """A ratings file of ~48 MB cut short far from its header: the error comes up while
    DuckDB streams the file through the join, not when its header is checked."""
    head = (raw / "ratings.csv").read_text("utf-8").splitlines()[0]
    line = "123456,1,4.0,1260759144\n"
    text = head + "\n" + line * (48_000_000 // len(line))
    (raw / "ratings.csv").unlink()
    data = gzip.compress(text.encode(), compresslevel=1)
    (raw / "ratings.csv.gz").write_bytes(data[: len(data) * 3 // 4])


def _rewrite(path: Path, edit: Callable[[list[list[str]]], list[list[str]]], **fmt: str) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
    out = io.StringIO()
    csv.writer(out, **fmt).writerows(edit(rows))
    path.write_text(out.getvalue(), "utf-8")


def _drop_column(path: Path, column: str) -> None:
    def edit(rows: list[list[str]]) -> list[list[str]]:
        i = rows[0].index(column)
        return [r[:i] + r[i + 1 :] for r in rows]

    _rewrite(path, edit)


@dataclass(frozen=True)
class Fault:
    name: str
    corrupt: Callable[[Path], None]
    expected: tuple[str, ...]  # fragments the one error line must contain


FAULTS = [
    Fault(
        "truncated_gzip_movies",
        lambda raw: _gzip_truncated(raw, "movies_dataset.csv"),
        ("movies_dataset.csv.gz",),
    ),
    Fault(
        "truncated_gzip_credits",
        lambda raw: _gzip_truncated(raw, "credits.csv"),
        ("credits.csv.gz", "runcated"),
    ),
    Fault(
        "truncated_gzip_ratings_streamed",
        _long_ratings_truncated,
        ("ratings.csv.gz", "runcated"),
    ),
    Fault(
        "not_gzip",
        lambda raw: (raw / "movies_dataset.csv").rename(raw / "movies_dataset.csv.gz"),
        ("movies_dataset.csv.gz", "gzip"),
    ),
    Fault(
        "empty_movies",
        lambda raw: (raw / "movies_dataset.csv").write_bytes(b""),
        ("movies_dataset.csv is empty",),
    ),
    Fault(
        "empty_credits",
        lambda raw: (raw / "credits.csv").write_bytes(b""),
        ("credits.csv is empty",),
    ),
    Fault(
        "header_only_movies",
        lambda raw: (raw / "movies_dataset.csv").write_text(
            (raw / "movies_dataset.csv").read_text("utf-8").splitlines()[0] + "\n", "utf-8"
        ),
        ("movies_dataset.csv", "no usable movie rows"),
    ),
    Fault(
        "missing_column_title",
        lambda raw: _drop_column(raw / "movies_dataset.csv", "title"),
        ("movies_dataset.csv", "missing required column title"),
    ),
    Fault(
        "missing_column_crew",
        lambda raw: _drop_column(raw / "credits.csv", "crew"),
        ("credits.csv", "missing required column crew"),
    ),
    Fault(
        "missing_file_credits",
        lambda raw: (raw / "credits.csv").unlink(),
        ("credits.csv",),
    ),
    Fault(
        "semicolon_delimiter",
        lambda raw: _rewrite(raw / "movies_dataset.csv", lambda rows: rows, delimiter=";"),
        ("movies_dataset.csv", "separated by ';'"),
    ),
    Fault(
        "tab_delimiter_credits",
        lambda raw: _rewrite(raw / "credits.csv", lambda rows: rows, delimiter="\t"),
        ("credits.csv", "separated by '\\t'"),
    ),
]


@dataclass
class FaultRun:
    out: Path
    before: str
    result: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def fault_runs(
    demo_catalog_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, FaultRun]:
    """`cinerec build` over each broken raw directory, each into its own copy of the demo
    catalogue, run a few at a time (each is mostly interpreter start-up)."""
    root = tmp_path_factory.mktemp("etl_faults")

    def run(fault: Fault) -> FaultRun:
        raw = copy_raw(root / fault.name / "raw")
        fault.corrupt(raw)
        out = copy_catalogue(demo_catalog_dir, root / fault.name / "catalog")
        before = published(out)
        result = _build(raw, out)
        return FaultRun(out, before, result)

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip([f.name for f in FAULTS], pool.map(run, FAULTS), strict=True))


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_broken_raw_file_is_one_clear_line_and_publishes_nothing(
    fault: Fault, fault_runs: dict[str, FaultRun]
) -> None:
    run = fault_runs[fault.name]
    stderr = run.result.stderr
    assert run.result.returncode != 0, run.result.stdout
    assert "Traceback" not in stderr + run.result.stdout
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    for fragment in fault.expected:
        assert fragment in lines[0], lines[0]
    assert published(run.out) == run.before
    assert not list((run.out / BUILDS).glob(".tmp-*")), "a failed build left its staging dir"
    assert_still_serves(run.out, run.before)


# ---------------------------------------------------------------------------------------------
# A build killed part way


def _start_build(raw: Path, out: Path) -> subprocess.Popen[str]:
    """The build as a terminal starts it: Ctrl-C not ignored, whatever this process inherited
    (an ignored SIGINT stays ignored across exec, and a suite run in the background has it
    ignored: the build would then sail through the Ctrl-C of the test below)."""
    outer = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return subprocess.Popen(
            [*CLI, "build", "--raw", str(raw), "--out", str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )
    finally:
        signal.signal(signal.SIGINT, outer)


def _wait_for(out: Path, marker: str, process: subprocess.Popen[str], timeout: float = 120) -> None:
    """Until the staging dir of the running build holds `marker` (the build is part way)."""
    deadline = time.monotonic() + timeout
    while not list((out / BUILDS).glob(f".tmp-*/{marker}")):
        if process.poll() is not None:
            _, stderr = process.communicate()
            pytest.fail(f"the build ended before writing {marker}: {stderr}")
        assert time.monotonic() < deadline, f"no {marker} in the staging dir after {timeout} s"
        time.sleep(0.005)


@pytest.fixture(scope="module")
def raw_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_raw(tmp_path_factory.mktemp("raw") / "raw")


# markers in the order a build writes them: the ETL's tables, then the serving index
@pytest.mark.parametrize(
    ("marker", "sig"),
    [
        ("tables/movies.parquet", signal.SIGKILL),
        ("index", signal.SIGKILL),
        ("tables/movies.parquet", signal.SIGINT),
    ],
    ids=["sigkill_during_etl", "sigkill_during_artifacts", "ctrl_c_during_etl"],
)
def test_build_killed_part_way_keeps_previous_catalogue(
    marker: str,
    sig: signal.Signals,
    raw_copy: Path,
    demo_catalog_dir: Path,
    tmp_path: Path,
) -> None:
    out = copy_catalogue(demo_catalog_dir, tmp_path / "catalog")
    before = published(out)
    process = _start_build(raw_copy, out)
    try:
        _wait_for(out, marker, process)
        process.send_signal(sig)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode != 0
    if sig == signal.SIGINT:  # Ctrl-C: one line, and the staging dir is cleaned up
        assert stderr.splitlines() == ["error: interrupted; the previous catalogue is unchanged"]
        assert not list((out / BUILDS).glob(".tmp-*"))
    assert published(out) == before
    assert_still_serves(out, before)


def test_a_ctrl_c_a_library_swallowed_still_stops_the_publication(tmp_path: Path) -> None:
    """DuckDB can drop the KeyboardInterrupt of a Ctrl-C that comes as its query ends (CI saw
    a build go on and publish): the build remembers the Ctrl-C and does not publish."""
    out = tmp_path / "catalog"
    # a terminal's Ctrl-C (a suite started in the background has SIGINT ignored)
    outer = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with (
            pytest.raises(KeyboardInterrupt),
            interrupts_remembered(),
            staged_build(out) as staging,
        ):
            (staging / "part").write_text("half of a build", "utf-8")
            try:
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(1)  # the handler runs at the next bytecode; never reached
            except KeyboardInterrupt:
                pass  # what the library did with it
        assert not (out / CURRENT).exists() and not list((out / BUILDS).glob("*"))
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back
        # the memory goes with the block: the next build publishes
        with interrupts_remembered(), staged_build(out) as staging:
            (staging / "part").write_text("a whole build", "utf-8")
        assert (out / CURRENT / "part").read_text("utf-8") == "a whole build"
        # a build started deaf to Ctrl-C (a background job) stays deaf
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        with interrupts_remembered():
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, outer)


def test_next_build_after_a_killed_one_cleans_up_and_publishes(
    raw_copy: Path, demo_catalog_dir: Path, tmp_path: Path
) -> None:
    out = copy_catalogue(demo_catalog_dir, tmp_path / "catalog")
    before = published(out)
    process = _start_build(raw_copy, out)
    try:
        _wait_for(out, "tables/movies.parquet", process)
        process.kill()
    finally:
        process.wait()
    assert list((out / BUILDS).glob(".tmp-*")), "a killed build leaves its staging dir"
    build_catalog(raw_copy, out)
    after = published(out)
    assert after != before
    assert not list((out / BUILDS).glob(".tmp-*"))
    assert (out / before).is_dir(), "the previous build is kept beside the new one"
    assert_still_serves(out, after)


def test_second_build_into_the_same_directory_is_refused_while_the_first_runs(
    raw_copy: Path, demo_catalog_dir: Path, tmp_path: Path
) -> None:
    """Without the lock the second build deleted the first one's staging dir as stale."""
    out = copy_catalogue(demo_catalog_dir, tmp_path / "catalog")
    before = published(out)
    first = _start_build(raw_copy, out)
    try:
        _wait_for(out, "tables/movies.parquet", first)
        second = _build(raw_copy, out)
        _, first_stderr = first.communicate(timeout=300)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert second.returncode != 0
    assert second.stderr.splitlines() == [
        f"error: another build into {out} is running; wait for it to finish"
    ]
    assert first.returncode == 0, first_stderr
    after = published(out)
    assert after != before
    assert not list((out / BUILDS).glob(".tmp-*"))
    assert_still_serves(out, after)
    # the lock went with the first build: the next one runs
    build_catalog(raw_copy, out)
    assert published(out) != after


# ---------------------------------------------------------------------------------------------
# Odd values that are not faults: dropped or nulled, never a crash


@pytest.fixture()
def odd_raw(tmp_path: Path) -> Iterator[Path]:
    raw = copy_raw(tmp_path / "raw")

    def odd_movies(rows: list[list[str]]) -> list[list[str]]:
        header = rows[0]
        ident, votes = header.index("id"), header.index("vote_count")
        rows[1][ident] = "9" * 25  # an integer beyond int64: the row is dropped
        rows[2][votes] = "1e30"  # a vote count beyond int64: unknown
        return rows

    _rewrite(raw / "movies_dataset.csv", odd_movies)
    (raw / "credits.csv").write_text("cast,crew,id\n", "utf-8")  # no credits at all
    yield raw


def test_out_of_range_numbers_and_no_credits_still_build(odd_raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "catalog"
    result = build_catalog(odd_raw, out)
    assert result.report["movies"]["dropped"]["id_not_integer"] >= 2  # the demo's own + ours
    state = ServiceState.load(out)
    with TestClient(create_app(state=state), raise_server_exceptions=False) as client:
        assert client.get("/score_titulo/Toy Story 2").status_code == 200
        assert client.get("/get_actor/Tom Hanks").status_code == 404
        assert client.get("/api/v1/movies/863/recommendations").status_code == 200
