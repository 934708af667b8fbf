"""Check the hand-written search test set against a built catalogue.

    python tools/check_search_set.py CATALOG_DIR [SEARCH_SET_JSON]

CATALOG_DIR is a built catalogue (the folder holding ``tables/``, e.g.
``/tmp/cat/real/current``) or its ``tables/`` folder. SEARCH_SET_JSON defaults to
``tests/data/search_set.json``.

Checks that every query is well formed, that each expected movie / person / country /
language exists in the catalogue and that its label matches the catalogue (movies:
"Title (year)"; people: the name, with at least one credit in the given role; countries
and languages: the English name in country_names / language_names), that months and
weekdays are Spanish names without accents, that the ranks are within the agreed bounds
and that every relaxed rank says why. Prints the counts per route and kind. Exits 1 when
any problem is found.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
from check_judged import CatalogMovie, load_movies, tables_dir

from cinerec.queries.course import MONTHS as COURSE_MONTHS
from cinerec.queries.course import WEEKDAYS
from cinerec.textnorm import match_key

DEFAULT_SET = Path(__file__).resolve().parents[1] / "tests/data/search_set.json"
ROUTES = {"movies", "people", "country", "language", "month", "day", "semantic"}
ROLES = {"actor", "director"}
# the course's names as the set writes them: without accents
MONTHS = [match_key(m) for m in COURSE_MONTHS]
DAYS = [match_key(d) for d in WEEKDAYS]
# the largest rank each route may ask for; a rank above 1 (above 5 for semantic) needs a note
MAX_RANK = {"movies": 3, "people": 3, "semantic": 10}
PLAIN_RANK = {"movies": 1, "people": 1, "semantic": 5}


class Catalog:
    """The few catalogue facts the checks need, read once."""

    def __init__(self, tables: Path) -> None:
        self.movies: dict[int, CatalogMovie] = load_movies(tables)
        con = duckdb.connect()

        def table(name: str) -> str:
            path = str(tables / f"{name}.parquet").replace("'", "''")
            return f"read_parquet('{path}')"

        self.people: dict[int, str] = {
            int(k): str(n)
            for k, n in con.execute(f"select person_key, name from {table('people')}").fetchall()
        }
        self.actors: set[int] = {
            int(k)
            for (k,) in con.execute(
                f"select distinct person_key from {table('movie_cast')}"
            ).fetchall()
        }
        self.directors: set[int] = {
            int(k)
            for (k,) in con.execute(
                f"select distinct person_key from {table('movie_crew')} where job = 'Director'"
            ).fetchall()
        }
        self.countries: dict[str, str | None] = dict(
            con.execute(f"select iso, name_en from {table('country_names')}").fetchall()
        )
        self.languages: dict[str, str | None] = dict(
            con.execute(f"select iso, name_en from {table('language_names')}").fetchall()
        )


def check_query(entry: Any, cat: Catalog) -> list[str]:
    """Problems with one query of the set."""
    if not isinstance(entry, dict):
        return [f"not an object: {entry!r}"]
    where = f"{entry.get('route')} {entry.get('q')!r}"
    problems: list[str] = []
    q, kind, route = entry.get("q"), entry.get("kind"), entry.get("route")
    expect, label, rank = entry.get("expect"), entry.get("label"), entry.get("rank")
    if not isinstance(q, str) or not q.strip():
        problems.append(f"{where}: 'q' must be a non-empty string")
    if not isinstance(kind, str) or not kind:
        problems.append(f"{where}: 'kind' must be a non-empty string")
    if route not in ROUTES:
        return [*problems, f"{where}: unknown route {route!r}"]
    note = entry.get("note")
    if note is not None and (not isinstance(note, str) or not note.strip()):
        problems.append(f"{where}: 'note' must be a non-empty string when given")
    if not isinstance(rank, int) or isinstance(rank, bool) or rank < 1:
        problems.append(f"{where}: 'rank' must be a positive integer")
    elif rank > MAX_RANK.get(route, 1):
        problems.append(f"{where}: rank {rank} is above the {MAX_RANK.get(route, 1)} allowed")
    elif rank > PLAIN_RANK.get(route, 1) and note is None:
        problems.append(f"{where}: rank {rank} needs a note saying why")
    if "role" in entry and route != "people":
        problems.append(f"{where}: 'role' only belongs to the people route")

    if route in ("movies", "semantic"):
        movie = cat.movies.get(expect) if isinstance(expect, int) else None
        if movie is None:
            problems.append(f"{where}: expected movie id {expect!r} is not in the catalogue")
        elif label != f"{movie.title} ({movie.year})":
            problems.append(f"{where}: label {label!r} != catalogue {movie.title} ({movie.year})")
    elif route == "people":
        name = cat.people.get(expect) if isinstance(expect, int) else None
        role = entry.get("role")
        if name is None:
            problems.append(f"{where}: expected person id {expect!r} is not in the catalogue")
        elif label != name:
            problems.append(f"{where}: label {label!r} != catalogue name {name!r}")
        if role not in ROLES:
            problems.append(f"{where}: role must be one of {sorted(ROLES)}, not {role!r}")
        elif name is not None:
            credited = cat.actors if role == "actor" else cat.directors
            if expect not in credited:
                problems.append(f"{where}: {name} has no {role} credit in the catalogue")
    elif route in ("country", "language"):
        names = cat.countries if route == "country" else cat.languages
        if expect is None:
            if label is not None:
                problems.append(f"{where}: a null expectation takes a null label")
        elif not isinstance(expect, str) or expect not in names:
            problems.append(f"{where}: {expect!r} is not a {route} code of the catalogue")
        elif route == "country" and (len(expect) != 2 or not expect.isupper()):
            problems.append(f"{where}: country codes are ISO 3166-1 alpha-2 upper case")
        elif route == "language" and (len(expect) != 2 or not expect.islower()):
            problems.append(f"{where}: language codes are ISO 639-1 lower case")
        elif label != names[expect]:
            problems.append(f"{where}: label {label!r} != catalogue name {names[expect]!r}")
    else:
        allowed = MONTHS if route == "month" else DAYS
        if expect is not None and expect not in allowed:
            problems.append(f"{where}: {expect!r} is not a Spanish {route} name without accents")
        if label != expect:
            problems.append(f"{where}: label must repeat the expected value")
    return problems


def check_search_set(doc: Any, cat: Catalog) -> list[str]:
    """Every problem found in a search-set document."""
    if not isinstance(doc, dict) or doc.get("version") != 1:
        return ["top level must be an object with version 1"]
    queries = doc.get("queries")
    if not isinstance(queries, list) or not queries:
        return ["'queries' must be a non-empty list"]
    problems: list[str] = []
    seen: set[tuple[Any, Any]] = set()
    for entry in queries:
        problems += check_query(entry, cat)
        if isinstance(entry, dict):
            key = (entry.get("route"), entry.get("q"))
            if key in seen:
                problems.append(f"{key}: the same query appears twice on one route")
            seen.add(key)
    return problems


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    cat = Catalog(tables_dir(Path(argv[1])))
    set_path = Path(argv[2]) if len(argv) == 3 else DEFAULT_SET
    doc = json.loads(set_path.read_text(encoding="utf-8"))
    problems = check_search_set(doc, cat)
    for problem in problems:
        print(problem)
    queries = [q for q in doc.get("queries", []) if isinstance(q, dict)]
    routes = Counter(str(q.get("route")) for q in queries)
    kinds = Counter(str(q.get("kind")) for q in queries)
    nulls = sum(1 for q in queries if q.get("expect") is None)
    print("per route: " + ", ".join(f"{r} {n}" for r, n in sorted(routes.items())))
    print("per kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    status = "FAIL" if problems else "ok"
    print(
        f"{status}: {set_path.name}: {len(queries)} queries ({nulls} expected not to resolve), "
        f"{len(problems)} problems"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
