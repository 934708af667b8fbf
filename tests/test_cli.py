"""The command line: exit codes, one-line errors, summaries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .rawfiles import actor, credit, director, movie_row, write_raw_dir


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cinerec.cli", *args], capture_output=True, text=True, timeout=300
    )


def test_missing_raw_file_is_one_line_and_non_zero(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "credits.csv").write_text("cast,crew,id\n")
    result = _run("etl", "--raw", str(raw), "--out", str(tmp_path / "out"))
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "movies_dataset.csv" in errors[0]
    assert "Traceback" not in result.stderr


def test_missing_column_names_it(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "movies_dataset.csv").write_text("id,title\n1,A\n")
    (raw / "credits.csv").write_text("cast,crew,id\n")
    result = _run("etl", "--raw", str(raw), "--out", str(tmp_path / "out"))
    assert result.returncode != 0
    assert "missing required column" in result.stderr and "release_date" in result.stderr
    assert "Traceback" not in result.stderr


def test_build_prints_summary_and_skips_when_unchanged(tmp_path: Path) -> None:
    raw = write_raw_dir(
        tmp_path / "raw",
        [movie_row(id="1", title="Alpha"), movie_row(id="2", title="Beta")],
        [
            credit(1, [actor(1, "Ann", 0)], [director(2, "Dee")]),
            credit(2, [actor(1, "Ann", 0)], []),
        ],
    )
    out = tmp_path / "catalog"
    first = _run("build", "--raw", str(raw), "--out", str(out), "--if-changed")
    assert first.returncode == 0, first.stderr
    assert "2 movie rows in, 2 movies out" in first.stdout
    second = _run("build", "--raw", str(raw), "--out", str(out), "--if-changed")
    assert second.returncode == 0 and "up to date" in second.stdout
    # a catalogue of an older layout is rebuilt, not served half-compatible
    manifest = out / "current" / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"format": ', '"format": -'))
    third = _run("build", "--raw", str(raw), "--out", str(out), "--if-changed")
    assert third.returncode == 0 and "2 movies out" in third.stdout


def test_serve_without_catalogue_fails_cleanly(tmp_path: Path) -> None:
    result = _run("serve", "--data", str(tmp_path / "nothing"))
    assert result.returncode != 0
    assert "no catalogue" in result.stderr and "Traceback" not in result.stderr
