"""The optional engines' one-line errors: a missing install extra, a missing or old Java, a
bad option. Each runs the CLI with the extra hidden, so it holds with or without it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cinerec.recommend.spark_engine import java_problem


def _cli_without(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`cinerec ARGS` in a process where `import MODULE` fails, as without its extra."""
    code = (
        f"import sys; sys.modules[{module!r}] = None; sys.argv = ['cinerec', *{list(args)!r}];"
        " from cinerec.cli import main; main()"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)


def _one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = [x for x in result.stderr.splitlines() if x.strip()]
    return line


def test_spark_engine_without_the_extra(demo_catalog_dir: Path) -> None:
    result = _cli_without("pyspark", "train", "--data", str(demo_catalog_dir), "--engine", "spark")
    assert "`spark` install extra" in _one_error_line(result)


def test_track_without_the_extra(demo_catalog_dir: Path) -> None:
    result = _cli_without("mlflow", "train", "--data", str(demo_catalog_dir), "--track")
    assert "`tracking` install extra" in _one_error_line(result)


def test_unknown_engine_is_one_line(demo_catalog_dir: Path) -> None:
    result = _cli_without("pyspark", "train", "--data", str(demo_catalog_dir), "--engine", "flink")
    assert _one_error_line(result) == "error: --engine must be one of local, spark, not 'flink'"


@pytest.mark.parametrize(
    ("version", "found"),
    [('openjdk version "1.8.0_292"', "Java 8"), ('openjdk version "11.0.2" 2019-01-15', "Java 11")],
)
def test_old_java_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: str, found: str
) -> None:
    java = tmp_path / "bin" / "java"
    java.parent.mkdir()
    java.write_text(f"#!/bin/sh\necho '{version}' >&2\n")
    java.chmod(0o755)
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    problem = java_problem()
    assert problem is not None and found in problem and "apt-get install" in problem


def test_java_17_or_later_is_fine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    java = tmp_path / "bin" / "java"
    java.parent.mkdir()
    java.write_text("#!/bin/sh\necho 'openjdk version \"21.0.4\" 2024-07-16' >&2\n")
    java.chmod(0o755)
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    assert java_problem() is None
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "nowhere"))
    assert "none was found" in (java_problem() or "")


def test_serving_imports_neither_mlflow_nor_spark(demo_catalog_dir: Path) -> None:
    code = (
        "import sys; from pathlib import Path;"
        "from cinerec.api.app import create_app; from cinerec.api.state import ServiceState;"
        f"create_app(state=ServiceState.load(Path({str(demo_catalog_dir)!r})));"
        "names = ('mlflow', 'pyspark', 'cinerec.tracking', 'cinerec.recommend.spark_engine');"
        "print([n for n in names if n in sys.modules])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
