"""The course's cleaning rules and the real file's needs, on a tiny hand-made raw directory."""

from __future__ import annotations

import gzip
from pathlib import Path

import duckdb
import pytest

from cinerec.build import build_catalog
from cinerec.catalog.loaded import load_catalog
from cinerec.etl import EtlError
from cinerec.store import DUCKDB_FILE, QUALITY_REPORT, resolve_build_dir

from .rawfiles import actor, credit, director, movie_row, write_raw_dir


def _raw(tmp_path: Path, gz: bool = False) -> Path:
    movies = [
        movie_row(id="1", title="Alpha", budget="100", revenue="250", release_date="2001-02-05"),
        movie_row(id="2", title="Beta", budget="", revenue="", release_date="2001-03-06"),
        movie_row(id="2", title="Beta duplicate", release_date="1999-01-01"),
        movie_row(id="3", title="Gamma", release_date=""),
        movie_row(id="4", title="Delta", release_date="not a date"),
        movie_row(id="1997-08-20", title="Shifted", release_date="0.5"),
        movie_row(
            id="5",
            title="Épsilon",
            budget="1",
            revenue="12",
            popularity="Beware Of Frost Bites",
            release_date="2010-07-16",
            belongs_to_collection=repr(
                {"id": 9, "name": "Greek Collection", "poster_path": None, "backdrop_path": None}
            ),
        ),
        movie_row(id="6", title="Zeta", budget="50", revenue="0", release_date="2010-07-17"),
    ]
    credits = [
        credit(
            1, [actor(10, "Ann Actor", 0), actor(None, "José Nobody", 1)], [director(20, "Dee")]
        ),
        credit(2, [actor(10, "Ann Actor", 0)], [director(20, "Dee")]),
        credit(5, [actor(None, "Jose  NOBODY", 0)], [director(21, "Other")]),
        credit(6, [], []),
    ]
    return write_raw_dir(tmp_path / "raw", movies, credits, gz=gz)


@pytest.fixture()
def built(tmp_path: Path) -> Path:
    out = tmp_path / "catalog"
    build_catalog(_raw(tmp_path, gz=True), out)
    return resolve_build_dir(out)


def test_rows_dropped_for_the_documented_reasons(built: Path) -> None:
    import json

    report = json.loads((built / QUALITY_REPORT).read_text())
    movies = report["movies"]
    assert movies["rows_read"] == 8
    assert movies["dropped"] == {
        "id_not_integer": 1,
        "repeated_id": 1,
        "missing_or_invalid_release_date": 2,
    }
    assert movies["repeated_ids"] == [{"id": 2, "rows": 2}]
    assert movies["rows_kept"] == 4
    assert movies["nulls_per_column"]["release_date"] == 1


def test_course_rules_on_values(built: Path) -> None:
    con = duckdb.connect(str(built / DUCKDB_FILE), read_only=True)
    rows = {
        r[0]: r[1:]
        for r in con.execute(
            'SELECT id, title, budget, revenue, "return", release_year, popularity,'
            " strftime(release_date, '%Y-%m-%d') FROM movies"
        ).fetchall()
    }
    assert set(rows) == {1, 2, 5, 6}
    assert rows[1] == ("Alpha", 100.0, 250.0, 2.5, 2001, 1.5, "2001-02-05")
    # first row of a repeated id is kept; null budget and revenue become 0, return 0
    assert rows[2] == ("Beta", 0.0, 0.0, 0.0, 2001, 1.5, "2001-03-06")
    # a number that does not parse is missing, not an error
    assert rows[5][0] == "Épsilon" and rows[5][5] is None and rows[5][3] == 12.0
    assert rows[6][3] == 0.0  # revenue 0 with a budget: return 0
    course_columns = {r[0] for r in con.execute("DESCRIBE movies_course").fetchall()}
    for dropped in ("video", "imdb_id", "adult", "original_title", "poster_path", "homepage"):
        assert dropped not in course_columns
    assert {"release_year", "return", "budget", "revenue"} <= course_columns


def test_people_without_id_are_grouped_by_normalized_name(built: Path) -> None:
    catalog = load_catalog(built)
    rows = catalog.person_names.lookup("josenobody")
    assert len(rows) == 1
    films = {int(catalog.movie_id[r]) for r in catalog.cast.group(int(rows[0]))}
    assert films == {1, 5}
    ann = int(catalog.person_names.lookup("annactor")[0])
    assert int(catalog.person_key[ann]) == 10
    assert {int(catalog.movie_id[r]) for r in catalog.cast.group(ann)} == {1, 2}


def _people_names(
    tmp_path: Path, name: str, credits: list[dict[str, str]]
) -> list[tuple[int, str]]:
    movies = [movie_row(id=str(i), title=f"Film {i}", release_date="2001-02-05") for i in (1, 2, 3)]
    out = tmp_path / f"catalog-{name}"
    build_catalog(write_raw_dir(tmp_path / name, movies, credits), out, artifacts=False)
    people = resolve_build_dir(out) / "tables" / "people.parquet"
    return duckdb.sql(
        f"SELECT person_key, name FROM read_parquet('{people}') ORDER BY person_key"
    ).fetchall()


def test_a_persons_name_is_the_one_most_credits_use_ties_in_sort_order(tmp_path: Path) -> None:
    """Builds must not differ with thread timing: the tie is broken by the name itself."""
    credits = [
        credit(1, [actor(30, "Sam Tie", 0), actor(31, "Al Most", 1)], []),
        credit(2, [actor(30, "Samuel Tie", 0), actor(31, "Alan Most", 1)], []),
        credit(3, [actor(31, "Alan Most", 0)], [director(30, "Samuel Tie")]),
    ]
    # 30: "Samuel Tie" twice (cast, crew) beats "Sam Tie" once; 31: "Alan Most" twice
    assert _people_names(tmp_path, "most", credits) == [(30, "Samuel Tie"), (31, "Alan Most")]
    credits[2] = credit(3, [], [])  # 30 and 31: one credit under each name
    assert _people_names(tmp_path, "tied", credits) == [(30, "Sam Tie"), (31, "Al Most")]


def test_collection_and_nested_tables(built: Path) -> None:
    catalog = load_catalog(built)
    row = int(catalog.collections.names.lookup("greekcollection")[0])
    assert [int(catalog.movie_id[r]) for r in catalog.collections.movies.group(row)] == [5]


def test_missing_required_file_and_column(tmp_path: Path) -> None:
    raw = _raw(tmp_path)
    (raw / "credits.csv").unlink()
    with pytest.raises(EtlError, match=r"credits\.csv"):
        build_catalog(raw, tmp_path / "out")
    raw2 = tmp_path / "raw2"
    raw2.mkdir()
    (raw2 / "movies_metadata.csv").write_text("id;title;budget\n1;A;2\n")
    (raw2 / "credits.csv").write_text("cast,crew,id\n")
    with pytest.raises(EtlError, match="missing required column id"):
        build_catalog(raw2, tmp_path / "out")


def test_truncated_gzip_and_empty_file_fail_cleanly_and_keep_previous(tmp_path: Path) -> None:
    out = tmp_path / "catalog"
    build_catalog(_raw(tmp_path, gz=True), out)
    before = resolve_build_dir(out)
    broken = tmp_path / "broken"
    broken.mkdir()
    data = gzip.compress((tmp_path / "raw" / "movies_dataset.csv.gz").read_bytes())
    (broken / "movies_dataset.csv.gz").write_bytes(data[: len(data) // 2])
    (broken / "credits.csv").write_text("")
    with pytest.raises(EtlError):
        build_catalog(broken, out)
    (broken / "movies_dataset.csv.gz").unlink()
    (broken / "movies_dataset.csv").write_text("")
    with pytest.raises(EtlError, match="empty"):
        build_catalog(broken, out)
    assert resolve_build_dir(out) == before
    assert len(load_catalog(out)) == 4
    assert not list((out / "builds").glob(".tmp-*"))


def test_interrupted_build_leaves_previous_catalogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "catalog"
    raw = _raw(tmp_path)
    build_catalog(raw, out)
    before = resolve_build_dir(out)

    def boom(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("cinerec.build.build_index", boom)
    with pytest.raises(KeyboardInterrupt):
        build_catalog(raw, out)
    assert resolve_build_dir(out) == before
    assert not list((out / "builds").glob(".tmp-*"))
