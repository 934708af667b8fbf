"""Search quality and latency against a running cinerec server, from the search test set.

Each query of `tests/data/search_set.json` goes to the route a user would call (title and
people search, the course's country/language/month/weekday routes, semantic search); it is
found when the expected answer comes at the needed rank or better (for `null`, when the
server refuses it with a 4xx). Latency is measured per request at one connection, after a
warm-up pass. It talks HTTP only, so it measures any version of cinerec the same way:

    cinerec serve --data CATALOG --port 8011 &
    python benchmarks/bench_search.py --url http://127.0.0.1:8011 [--repeat 5] [--json OUT]
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

SEARCH_SET = Path(__file__).resolve().parent.parent / "tests" / "data" / "search_set.json"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from cinerec.textnorm import match_key  # noqa: E402

LIST_LIMIT = 20


def request_path(query: dict[str, Any]) -> str:
    q = query["q"]
    quoted = urllib.parse.quote(q, safe="")
    route = query["route"]
    if route == "movies":
        return f"/api/v1/movies/search?q={quoted}&limit={LIST_LIMIT}"
    if route == "people":  # without a role, as people type into a search box
        return f"/api/v1/people/search?q={quoted}&limit={LIST_LIMIT}"
    if route == "semantic":
        return f"/api/v1/search/semantic?q={quoted}&limit={LIST_LIMIT}"
    course = {
        "country": "peliculas_pais",
        "language": "peliculas_idioma",
        "month": "cantidad_filmaciones_mes",
        "day": "cantidad_filmaciones_dia",
    }[route]
    return f"/{course}/{quoted}"


def rank_of(
    query: dict[str, Any], status: int, body: Any, countries: dict[str, set[str]]
) -> int | None:
    """The rank of the expected answer (1 for a right single answer), None if absent."""
    expect = query["expect"]
    route = query["route"]
    if expect is None:
        return 1 if 400 <= status < 500 else None
    if status != 200:
        return None
    if route in ("movies", "people"):
        ids = [item["id"] for item in body["items"]]
    elif route == "semantic":
        ids = [item["movie"]["id"] if "movie" in item else item["id"] for item in body["items"]]
    elif route == "country":
        iso = body.get("iso")
        names = {match_key(n) for n in countries.get(expect, set())}
        ok = iso == expect if iso else match_key(body.get("pais", "")) in names
        return 1 if ok else None
    elif route == "language":
        return 1 if body.get("idioma") == expect or body.get("codigo") == expect else None
    else:
        key = "mes" if route == "month" else "dia"
        return 1 if match_key(body.get(key, "")) == expect else None
    return ids.index(expect) + 1 if expect in ids else None


def judge(
    queries: list[dict[str, Any]], get: Callable[[str], tuple[int, Any]]
) -> list[dict[str, Any]]:
    """Each query with the rank its answer came at and whether that is good enough."""
    countries = country_names()
    results = []
    for query in queries:
        status, body = get(request_path(query))
        rank = rank_of(query, status, body, countries)
        found = rank is not None and rank <= query["rank"]
        results.append({**query, "status": status, "got_rank": rank, "found": found})
    return results


def load_set(path: Path = SEARCH_SET) -> list[dict[str, Any]]:
    queries: list[dict[str, Any]] = json.loads(path.read_text("utf-8"))["queries"]
    return queries


def country_names() -> dict[str, set[str]]:
    """ISO -> names a server may answer with (English and Spanish, from CLDR via Babel)."""
    from babel import Locale

    names: dict[str, set[str]] = defaultdict(set)
    for locale in ("en", "es"):
        for code, name in Locale(locale).territories.items():
            names[code].add(name)
    names["US"].add("United States of America")
    names["GB"].add("United Kingdom")
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--set", type=Path, default=SEARCH_SET)
    parser.add_argument("--repeat", type=int, default=3, help="timed passes after a warm-up")
    parser.add_argument("--json", type=Path, help="write the per-query results here")
    parser.add_argument("--show", action="store_true", help="print every miss")
    args = parser.parse_args()
    queries = load_set(args.set)
    url = urllib.parse.urlsplit(args.url)
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port or 80)

    def get(path: str) -> tuple[int, Any, float]:
        started = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        payload = response.read()
        elapsed = time.perf_counter() - started
        return response.status, json.loads(payload) if payload else None, elapsed

    results = judge(queries, lambda path: get(path)[:2])
    latency: dict[str, list[float]] = defaultdict(list)
    for _ in range(args.repeat):
        for query in queries:
            kind = (
                "semantic"
                if query["route"] == "semantic"
                else (
                    "titles"
                    if query["route"] == "movies"
                    else "people"
                    if query["route"] == "people"
                    else "aliases"
                )
            )
            latency[kind].append(get(request_path(query))[2] * 1000)

    by_kind: dict[str, list[bool]] = defaultdict(list)
    for r in results:
        by_kind[r["kind"].split("_")[0] if r["route"] != "semantic" else "semantic"].append(
            r["found"]
        )
    found = sum(r["found"] for r in results)
    print(f"found {found}/{len(results)} = {100 * found / len(results):.1f}% at the needed rank")
    for kind, hits in sorted(by_kind.items()):
        print(f"  {kind:10} {sum(hits):3}/{len(hits):3}")
    print("latency per request, one connection (ms):")
    for kind, values in sorted(latency.items()):
        ordered = sorted(values)
        p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
        print(
            f"  {kind:10} p50 {statistics.median(values):6.2f}  p99 {p99:6.2f}"
            f"  max {ordered[-1]:6.2f}  (n={len(values)})"
        )
    if args.show:
        for r in results:
            if not r["found"]:
                print(
                    f"  miss: {r['route']:9} {r['q']!r} -> rank {r['got_rank']} (needs {r['rank']}, {r.get('label')})"
                )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False), "utf-8")


if __name__ == "__main__":
    main()
