"""Check the judged "more like this" set against a built catalogue.

    python tools/check_judged.py CATALOG_DIR [JUDGED_JSON]

CATALOG_DIR is a built catalogue (the folder holding ``tables/movies.parquet``,
e.g. ``/tmp/cat/real/current``) or its ``tables/`` folder. JUDGED_JSON defaults to
``src/cinerec/recommend/data/judged_similar.json``.

Every query and every similar movie must be a movie id present in the catalogue with the
same title and release year; no movie may appear twice in one list, no query may list
itself, no query id may repeat, every query needs at least ``MIN_SIMILAR`` movies, and an
entry's optional ``round`` (the round of writing that listed it) is 1 or 2 for a query of
the first round, and the query's own round for a query that a later round added (``"round"``
3 or more on the query: stops 34, 41 and 42 so far).
Exits 1 and prints each problem when the set fails, 0 otherwise.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

MIN_SIMILAR = 12
ROUNDS = (1, 2)  # the first lists, and the second round that completed them (stop 33)
# the first round that added queries, each list written at once (stop 34); every later
# round does the same, so a new one needs no change here
FIRST_NEW_QUERIES_ROUND = 3
DEFAULT_JUDGED = Path(__file__).resolve().parents[1] / (
    "src/cinerec/recommend/data/judged_similar.json"
)


@dataclass(frozen=True)
class CatalogMovie:
    title: str
    year: int | None


def tables_dir(catalog: Path) -> Path:
    """The folder holding the Parquet tables of a catalogue given by its root or tables dir."""
    if (catalog / "movies.parquet").is_file():
        return catalog
    if (catalog / "tables" / "movies.parquet").is_file():
        return catalog / "tables"
    raise SystemExit(f"no movies.parquet under {catalog}")


def load_movies(tables: Path) -> dict[int, CatalogMovie]:
    """Movie id -> (title, release year) read once from movies.parquet."""
    path = str(tables / "movies.parquet").replace("'", "''")
    con = duckdb.connect()
    rows = con.execute(f"select id, title, release_year from read_parquet('{path}')").fetchall()
    return {int(i): CatalogMovie(str(t), None if y is None else int(y)) for i, t, y in rows}


def check_ref(ref: Any, movies: dict[int, CatalogMovie], where: str) -> list[str]:
    """Problems with one ``{"id", "title", "year"}`` reference."""
    if not isinstance(ref, dict) or not isinstance(ref.get("id"), int):
        return [f"{where}: not an object with an integer id: {ref!r}"]
    movie = movies.get(ref["id"])
    if movie is None:
        return [f"{where}: id {ref['id']} ({ref.get('title')!r}) is not in the catalogue"]
    problems = []
    if ref.get("title") != movie.title:
        problems.append(
            f"{where}: id {ref['id']} title {ref.get('title')!r} != catalogue {movie.title!r}"
        )
    if ref.get("year") != movie.year:
        problems.append(
            f"{where}: id {ref['id']} year {ref.get('year')!r} != catalogue {movie.year!r}"
        )
    return problems


def check_judged(doc: Any, movies: dict[int, CatalogMovie]) -> list[str]:
    """Every problem found in a judged-similar document."""
    if not isinstance(doc, dict) or doc.get("version") != 1:
        return ["top level must be an object with version 1"]
    queries = doc.get("queries")
    if not isinstance(queries, list) or not queries:
        return ["'queries' must be a non-empty list"]
    problems: list[str] = []
    seen_queries: set[int] = set()
    for n, query in enumerate(queries):
        where = f"query #{n} {query.get('title')!r}" if isinstance(query, dict) else f"query #{n}"
        problems += check_ref(query, movies, where)
        if not isinstance(query, dict):
            continue
        qid = query.get("id")
        if qid in seen_queries:
            problems.append(f"{where}: query id {qid} repeats an earlier query")
        if isinstance(qid, int):
            seen_queries.add(qid)
        if not isinstance(query.get("kind"), str) or not query["kind"].strip():
            problems.append(f"{where}: missing 'kind' note")
        query_round = query.get("round", 1)
        new_query = isinstance(query_round, int) and query_round >= FIRST_NEW_QUERIES_ROUND
        if query_round != 1 and not new_query:
            problems.append(
                f"{where}: query round {query_round!r}, not 1 or {FIRST_NEW_QUERIES_ROUND} or more"
            )
        similar = query.get("similar")
        if not isinstance(similar, list):
            problems.append(f"{where}: 'similar' must be a list")
            continue
        if len(similar) < MIN_SIMILAR:
            problems.append(f"{where}: only {len(similar)} similar movies (< {MIN_SIMILAR})")
        seen: set[int] = set()
        for m, ref in enumerate(similar):
            problems += check_ref(ref, movies, f"{where} similar #{m}")
            sid = ref.get("id") if isinstance(ref, dict) else None
            if sid == qid:
                problems.append(f"{where}: lists itself")
            if sid in seen:
                problems.append(f"{where}: id {sid} listed twice")
            if isinstance(sid, int):
                seen.add(sid)
            allowed = (query_round,) if new_query else ROUNDS
            if isinstance(ref, dict) and ref.get("round", 1) not in allowed:
                problems.append(
                    f"{where}: id {sid} has round {ref.get('round')!r}, not one of {allowed}"
                )
    return problems


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    movies = load_movies(tables_dir(Path(argv[1])))
    judged_path = Path(argv[2]) if len(argv) == 3 else DEFAULT_JUDGED
    doc = json.loads(judged_path.read_text(encoding="utf-8"))
    problems = check_judged(doc, movies)
    for problem in problems:
        print(problem)
    queries = doc.get("queries", []) if isinstance(doc, dict) else []
    n_similar = sum(len(q.get("similar", [])) for q in queries if isinstance(q, dict))
    status = "FAIL" if problems else "ok"
    print(
        f"{status}: {judged_path.name}: {len(queries)} queries, {n_similar} judged pairs, "
        f"{len(problems)} problems"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
