"""Raw input as people have it: a directory, a zip or a directory holding a zip, files at any
depth as .csv, .csv.gz or .zip, Kaggle's or the course's names; which ratings file and why; a
failed build leaves nothing behind; the demo is never served silently."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cinerec.api.app import create_app
from cinerec.api.state import ServiceState
from cinerec.build import EXTRACTED, build_catalog
from cinerec.etl import EtlError
from cinerec.etl.raw_input import Found, find_raw_input
from cinerec.store import BUILDS, LOCK

ROOT = Path(__file__).resolve().parents[1]
KAGGLE = {"movies_dataset": "movies_metadata", "credits": "credits", "keywords": "keywords",
          "links": "links", "ratings": "ratings_small"}  # fmt: skip


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cinerec.cli", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )


def _read(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()


def _source(raw: Path, stem: str) -> Path:
    for suffix in (".csv", ".csv.gz"):
        if (raw / f"{stem}{suffix}").is_file():
            return raw / f"{stem}{suffix}"
    raise AssertionError(f"{stem} not in {raw}")


def make_zip(
    raw: Path, target: Path, names: dict[str, str], folder: str = "", gz: bool = False
) -> Path:
    """A zip of `raw`'s files under the given names, in `folder`, streamed member by member."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for stem, name in names.items():
            member = f"{folder}{name}.csv" + (".gz" if gz else "")
            data = _read(_source(raw, stem))
            archive.writestr(member, gzip.compress(data, 1) if gz else data)
        archive.writestr(f"__MACOSX/{folder}._credits.csv", b"\x00\x05junk")
    return target


def _movies(out: Path) -> int:
    manifest = json.loads((out / "current" / "manifest.json").read_text("utf-8"))
    return int(manifest["rows"]["movies"])


@pytest.fixture(scope="module")
def demo_movies(demo_catalog_dir: Path) -> int:
    return _movies(demo_catalog_dir)


def test_a_kaggle_zip_with_a_folder_builds_the_same_catalogue(
    demo_raw: Path, demo_movies: int, tmp_path: Path
) -> None:
    archive = make_zip(demo_raw, tmp_path / "the-movies-dataset.zip", KAGGLE, "the-movies-dataset/")
    dotted = make_zip(demo_raw, tmp_path / "dotted.zip", KAGGLE, "./")  # `zip -r x.zip ./`
    assert find_raw_input(dotted).movies.member == "./movies_metadata.csv"
    out = tmp_path / "catalog"
    build_catalog(archive, out, artifacts=False)
    assert _movies(out) == demo_movies
    build = (out / "current").resolve()
    assert not (build / EXTRACTED).exists()  # the extracted members are gone
    raw = json.loads((build / "manifest.json").read_text("utf-8"))["raw"]
    assert (
        raw["sources"]["movies"] == "the-movies-dataset.zip: the-movies-dataset/movies_metadata.csv"
    )
    assert raw["demo"] is False
    assert not (out / LOCK).exists()


def test_course_names_gz_members_nested_zips_and_a_directory_holding_the_zip(
    demo_raw: Path, demo_movies: int, tmp_path: Path
) -> None:
    names = {"movies_dataset": "movies_dataset", "credits": "credits"}
    inner = make_zip(demo_raw, tmp_path / "credits.csv.zip", {"credits": "credits"})
    holder = tmp_path / "downloads" / "course"
    holder.mkdir(parents=True)
    archive = make_zip(demo_raw, holder / "PI_MLOps.zip", names, "datasets/raw/", gz=True)
    with zipfile.ZipFile(archive) as z:  # replace credits by a zip holding it
        members = {i.filename: z.read(i) for i in z.infolist() if "credits" not in i.filename}
    with zipfile.ZipFile(archive, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
        z.write(inner, "datasets/raw/credits.csv.zip")
    found = find_raw_input(tmp_path / "downloads")
    assert (
        found.movies.where(found.root) == "course/PI_MLOps.zip: datasets/raw/movies_dataset.csv.gz"
    )
    assert found.credits.inner == "credits.csv" and found.ratings is None
    out = tmp_path / "catalog"
    build_catalog(tmp_path / "downloads", out, artifacts=False)
    assert _movies(out) == demo_movies


def test_loose_files_at_any_depth_win_over_a_zip_beside_them(
    demo_raw: Path, tmp_path: Path
) -> None:
    nested = tmp_path / "raw" / "a" / "b"
    shutil.copytree(demo_raw, nested)
    (nested / "README.md").unlink()
    (tmp_path / "raw" / "archive.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)  # empty zip
    found = find_raw_input(tmp_path / "raw")
    assert found.movies.path == nested / "movies_dataset.csv" and not found.in_zip
    assert any("not the zip beside them" in note for note in found.notes)


def test_two_movies_files_or_none_is_one_clear_error(demo_raw: Path, tmp_path: Path) -> None:
    both = {"movies_dataset": "movies_dataset", "credits": "credits"}
    archive = make_zip(demo_raw, tmp_path / "two.zip", both)
    with zipfile.ZipFile(archive, "a") as z:
        z.writestr("old/movies_metadata.csv", _read(demo_raw / "movies_dataset.csv"))
    with pytest.raises(EtlError, match="2 candidate movies files") as info:
        find_raw_input(archive)
    assert "movies_dataset.csv" in str(info.value) and "old/movies_metadata.csv" in str(info.value)
    none = tmp_path / "none.zip"
    with zipfile.ZipFile(none, "w") as z:
        z.writestr("data/films.csv", "id,title\n")
        z.writestr("data/credits.csv", "cast,crew,id\n")
    result = _run("build", "--raw", str(none), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith("error: no movies file in")
    assert "none.zip: data/films.csv" in errors[0] and "movies_metadata.csv" in errors[0]
    assert not (tmp_path / "out").exists()
    with pytest.raises(EtlError, match="not a zip"):
        find_raw_input(demo_raw / "movies_dataset.csv")


def test_ratings_small_or_full_and_why(demo_raw: Path, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(demo_raw, raw)
    ratings = (raw / "ratings.csv").read_text("utf-8").splitlines(keepends=True)
    (raw / "ratings_small.csv").write_text("".join(ratings[: len(ratings) // 10]), "utf-8")
    full = _run("etl", "--raw", str(raw), "--out", str(tmp_path / "a"), "--ratings", "full")
    assert full.returncode == 0, full.stderr
    assert "ratings: using ratings.csv" in full.stdout
    default = _run("etl", "--raw", str(raw), "--out", str(tmp_path / "b"))
    assert default.returncode == 0, default.stderr
    assert "ratings: using ratings_small.csv" in default.stdout
    assert "by default" in default.stdout and "--ratings full" in default.stdout
    counts = {}
    for name in ("a", "b"):
        report = json.loads((tmp_path / name / "current" / "quality_report.json").read_text())
        counts[name] = report["ratings"]["rows_read"]
        assert report["inputs"]["ratings"]["name"] == (
            "ratings.csv" if name == "a" else "ratings_small.csv"
        )
    assert counts == {"a": len(ratings) - 1, "b": len(ratings) // 10 - 1}
    (raw / "ratings.csv").unlink()
    missing = _run("etl", "--raw", str(raw), "--out", str(tmp_path / "c"), "--ratings", "full")
    assert missing.returncode == 1 and missing.stderr.startswith(
        "error: --ratings full: no ratings.csv"
    )
    assert not (tmp_path / "c").exists()


def test_a_failed_build_leaves_no_lock_and_no_empty_directories(tmp_path: Path) -> None:
    out = tmp_path / "new" / "catalog"
    result = _run("build", "--raw", str(tmp_path / "the-movies-dataset.zip"), "--out", str(out))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"error: raw input not found: {tmp_path / 'the-movies-dataset.zip'}"
        " (give a directory or a .zip file)"
    )
    assert not (tmp_path / "new").exists()
    # failing halfway (a broken movies file), into a directory that did not exist
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "movies_dataset.csv").write_text("id,title\n1,A\n")
    (raw / "credits.csv").write_text("cast,crew,id\n")
    result = _run("build", "--raw", str(raw), "--out", str(out))
    assert result.returncode == 1 and "missing required column" in result.stderr
    assert not (tmp_path / "new").exists()


def test_a_successful_build_leaves_no_lock_and_a_failed_rebuild_keeps_the_old(
    demo_raw: Path, tmp_path: Path
) -> None:
    out = tmp_path / "catalog"
    build_catalog(demo_raw, out, artifacts=False)
    assert not (out / LOCK).exists()
    before = sorted(p.name for p in (out / BUILDS).iterdir())
    with pytest.raises(EtlError):
        build_catalog(tmp_path, out, artifacts=False)  # no movies file there
    assert sorted(p.name for p in (out / BUILDS).iterdir()) == before
    assert not (out / LOCK).exists()


def test_if_changed_with_a_zip(demo_raw: Path, tmp_path: Path) -> None:
    archive = make_zip(demo_raw, tmp_path / "archive.zip", KAGGLE, "the-movies-dataset/")
    out = tmp_path / "catalog"
    first = _run("build", "--raw", str(archive), "--out", str(out), "--if-changed")
    assert first.returncode == 0, first.stderr
    assert "raw: extracting from" in first.stdout and "movies out" in first.stdout
    second = _run("build", "--raw", str(archive), "--out", str(out), "--if-changed")
    assert second.returncode == 0 and "up to date" in second.stdout
    # the same data under another folder and as .gz is a change of input: rebuilt
    archive.unlink()
    make_zip(demo_raw, archive, KAGGLE, "the-movies-dataset/", gz=True)
    third = _run("build", "--raw", str(archive), "--out", str(out), "--if-changed")
    assert third.returncode == 0 and "movies out" in third.stdout
    # CINEREC_RAW_DIR stands in for --raw
    fourth = _run("build", "--out", str(out), "--if-changed", env={"CINEREC_RAW_DIR": str(archive)})
    assert fourth.returncode == 0 and "up to date" in fourth.stdout


def test_extraction_is_streamed(tmp_path: Path) -> None:
    """A 64 MB member is copied out in chunks: Python's peak allocation stays a few MB."""
    archive = tmp_path / "big.zip"
    line = b"1,31,2.5,1260759144\r\n"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z, z.open("ratings.csv", "w") as f:
        f.write(b"userId,movieId,rating,timestamp\r\n")
        chunk = line * ((1 << 20) // len(line))
        for _ in range(64):
            f.write(chunk)
    with zipfile.ZipFile(archive) as z:
        info = z.getinfo("ratings.csv")
    found = Found(archive, "ratings.csv", size=info.file_size, crc=info.CRC)
    from cinerec.etl.raw_input import _extract

    tracemalloc.start()
    path = _extract(found, tmp_path / "out", "ratings")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert path.stat().st_size == info.file_size > 60_000_000
    assert peak < 8_000_000, peak


def test_the_demo_is_never_served_silently(
    demo_raw: Path, demo_state: ServiceState, tmp_path: Path
) -> None:
    assert demo_state.catalog.demo
    with TestClient(create_app(state=demo_state)) as client:
        for path in ("/healthz", "/readyz"):
            body = client.get(path).json()
            assert body["demo"] is True and "demo catalogue" in body["note"], path
    result = _run("build", "--raw", str(demo_raw), "--out", str(tmp_path / "a"))
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("demo: building the bundled demo dataset") and "--raw" in first
    # a copy of the demo (as the Docker build stage makes) is still the demo
    copy = tmp_path / "raw"
    shutil.copytree(demo_raw, copy)
    assert find_raw_input(copy).demo
    # make run: the first line names where it looked and how to point it at real files
    env = {k: v for k, v in os.environ.items() if k != "CINEREC_RAW_DIR"}
    make = subprocess.run(["make", "-s", "-C", str(ROOT), "demo-notice"], capture_output=True,
                          text=True, env=env, timeout=60)  # fmt: skip
    line = make.stdout.splitlines()[0]
    assert line.startswith("cinerec: DEMO DATA") and "CINEREC_RAW_DIR" in line
    assert f"{ROOT}/data/raw/" in line and "zip" in line
    if not (ROOT / "data" / "raw").exists():
        real = subprocess.run(["make", "-s", "-C", str(ROOT), "-n", "build"], capture_output=True,
                              text=True, env={**env, "CINEREC_RAW_DIR": str(copy)}, timeout=60)  # fmt: skip
        assert "DEMO DATA" not in real.stdout and f'--raw "{copy}"' in real.stdout


def test_a_real_build_is_not_the_demo(tmp_path: Path) -> None:
    from .rawfiles import actor, credit, movie_row, write_raw_dir

    raw = write_raw_dir(
        tmp_path / "raw",
        [movie_row(id="1", title="Alpha"), movie_row(id="2", title="Beta")],
        [credit(1, [actor(1, "Ann", 0)], []), credit(2, [actor(1, "Ann", 0)], [])],
    )
    out = tmp_path / "catalog"
    build_catalog(raw, out)
    state = ServiceState.load(out)
    assert not state.catalog.demo
    with TestClient(create_app(state=state)) as client:
        assert client.get("/healthz").json()["demo"] is False


# --- the real files (CINEREC_TEST_RAW_DIR) --------------------------------------------------


@pytest.mark.integration
def test_real_kaggle_zip_and_course_zip(
    real_raw: Path, real_client: TestClient, tmp_path: Path
) -> None:
    """Kaggle's layout (a folder, plain CSVs, Kaggle's names) builds the full catalogue; the
    course's names in a subfolder of a directory holding the zip give the same movies."""
    names = {"movies_dataset": "movies_metadata", "credits": "credits", "keywords": "keywords",
             "links": "links", "links_small": "links_small", "ratings_small": "ratings_small"}  # fmt: skip
    archive = make_zip(real_raw, tmp_path / "the-movies-dataset.zip", names, "the-movies-dataset/")
    out = tmp_path / "kaggle"
    result = _run("build", "--raw", str(archive), "--out", str(out))
    assert result.returncode == 0, result.stderr
    movies = real_client.get("/healthz").json()["movies"]
    assert _movies(out) == movies
    with TestClient(create_app(state=ServiceState.load(out))) as client:
        body = client.get("/peliculas_pais/United States of America").json()
        assert body["cantidad"] == 21_134
        assert client.get("/healthz").json()["demo"] is False
    course = tmp_path / "data" / "raw"
    course.mkdir(parents=True)
    make_zip(real_raw, course / "PI MLOps.zip", {"movies_dataset": "movies_dataset",
             "credits": "credits"}, "Datasets/", gz=True)  # fmt: skip
    result = _run("etl", "--raw", str(tmp_path / "data"), "--out", str(tmp_path / "course"))
    assert result.returncode == 0, result.stderr
    assert f"{movies} movies out" in result.stdout
