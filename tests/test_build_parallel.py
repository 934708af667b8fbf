"""The serving index built in a second process beside the text index (`build.index_and_text`):
the same files as one after the other, and a failure in the second process fails the build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cinerec.build import index_and_text
from cinerec.catalog.indexer import build_index
from cinerec.recommend.text_search import TEXT_INDEX, fit_text_index
from cinerec.store import INDEX, TABLES, resolve_build_dir


def _tables_only(catalog: Path, to: Path) -> Path:
    """A build directory holding the demo build's tables and nothing built from them."""
    to.mkdir()
    shutil.copytree(resolve_build_dir(catalog) / TABLES, to / TABLES)
    return to


def _files(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes() for p in directory.rglob("*") if p.is_file()
    }


def test_in_two_processes_the_same_files_as_in_one(demo_catalog_dir: Path, tmp_path: Path) -> None:
    one = _tables_only(demo_catalog_dir, tmp_path / "one")
    counts = build_index(one)
    fit_text_index(one, one / TEXT_INDEX, None)
    two = _tables_only(demo_catalog_dir, tmp_path / "two")
    assert index_and_text(two, movies=0, progress=None, parallel_from=0) == counts
    assert _files(two / INDEX) == _files(one / INDEX)
    assert _files(two / TEXT_INDEX) == _files(one / TEXT_INDEX)


def test_a_failure_in_the_second_process_fails_the_build(
    demo_catalog_dir: Path, tmp_path: Path
) -> None:
    broken = _tables_only(demo_catalog_dir, tmp_path / "broken")
    (broken / TABLES / "movie_cast.parquet").unlink()  # the index needs it, the text does not
    with pytest.raises(RuntimeError, match="building the serving index failed"):
        index_and_text(broken, movies=0, progress=None, parallel_from=0)
