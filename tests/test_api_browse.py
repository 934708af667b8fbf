"""/api/v1 discover and statistics on the demo data, incl. the May 2023 course questions."""

from __future__ import annotations

import ast
import csv
import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def movies(demo_raw: Path) -> list[dict[str, Any]]:
    """Demo movies after the course's rules, recomputed with the csv module."""
    seen: set[int] = set()
    out = []
    with (demo_raw / "movies_dataset.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if not row["id"].isdigit() or int(row["id"]) in seen:
                continue
            seen.add(int(row["id"]))
            try:
                date = dt.date.fromisoformat(row["release_date"])
            except ValueError:
                continue
            budget = float(row["budget"] or 0)
            revenue = float(row["revenue"] or 0)
            out.append({
                "id": int(row["id"]), "title": row["title"], "year": date.year,
                "budget": budget, "revenue": revenue,
                "return": revenue / budget if budget > 0 else 0.0,
                "countries": [c["name"] for c in ast.literal_eval(row["production_countries"])],
                "companies": [c["name"] for c in ast.literal_eval(row["production_companies"])],
                "genres": [g["name"] for g in ast.literal_eval(row["genres"])],
                "collection": ast.literal_eval(row["belongs_to_collection"])["name"]
                if row["belongs_to_collection"] else None,
            })  # fmt: skip
    return out


def test_movies_per_country_in_a_year(
    demo_client: TestClient, movies: list[dict[str, Any]]
) -> None:
    expected = Counter(c for m in movies if m["year"] == 2008 for c in m["countries"])
    body = demo_client.get(
        "/api/v1/stats/top",
        params={"entity": "country", "metric": "count", "year": 2008, "limit": 100},
    ).json()
    assert {e["name"]: e["count"] for e in body["items"]} == dict(expected)


def test_company_revenue_in_a_year(demo_client: TestClient, movies: list[dict[str, Any]]) -> None:
    year = 2010
    expected: Counter[str] = Counter()
    for m in movies:
        if m["year"] == year:
            for c in m["companies"]:
                expected[c] += m["revenue"]
    body = demo_client.get(
        "/api/v1/stats/top",
        params={"entity": "company", "metric": "revenue", "year": year, "limit": 100},
    ).json()
    got = {e["name"]: e["value"] for e in body["items"]}
    assert got == pytest.approx(dict(expected))


def test_movies_per_year(demo_client: TestClient, movies: list[dict[str, Any]]) -> None:
    body = demo_client.get("/api/v1/stats/releases", params={"by": "year"}).json()
    assert {int(b["key"]): b["count"] for b in body["items"]} == dict(
        Counter(m["year"] for m in movies)
    )
    months = demo_client.get("/api/v1/stats/releases").json()["items"]
    assert months[0]["key"] == "enero" and len(months) == 12
    enero = demo_client.get("/cantidad_filmaciones_mes/enero").json()["cantidad"]
    assert months[0]["count"] == enero


def test_best_return_and_smallest_budget_in_a_year(
    demo_client: TestClient, movies: list[dict[str, Any]]
) -> None:
    year = 1999
    in_year = [m for m in movies if m["year"] == year and m["budget"] > 0]
    best = max(in_year, key=lambda m: m["return"])
    smallest = min(in_year, key=lambda m: m["budget"])
    top_return = demo_client.get(
        "/api/v1/stats/top",
        params={"entity": "movie", "metric": "return", "year": year, "limit": 1},
    ).json()["items"][0]
    assert top_return["name"] == best["title"] and top_return["value"] == pytest.approx(
        best["return"]
    )
    low_budget = demo_client.get(
        "/api/v1/stats/top",
        params={"entity": "movie", "metric": "budget", "year": year, "order": "asc", "limit": 1},
    ).json()["items"][0]
    assert low_budget["name"] == smallest["title"]


def test_top_grossing_collections(demo_client: TestClient, movies: list[dict[str, Any]]) -> None:
    totals: Counter[str] = Counter()
    for m in movies:
        if m["collection"]:
            totals[m["collection"]] += m["revenue"]
    expected = [name for name, _ in totals.most_common(5)]
    body = demo_client.get(
        "/api/v1/stats/top", params={"entity": "collection", "metric": "revenue", "limit": 5}
    ).json()
    assert [e["name"] for e in body["items"]] == expected


def test_discover_filters_and_genre_logic(
    demo_client: TestClient, movies: list[dict[str, Any]]
) -> None:
    both = {m["id"] for m in movies if {"Drama", "Crime"} <= set(m["genres"])}
    either = {m["id"] for m in movies if {"Drama", "Crime"} & set(m["genres"])}
    got_and = demo_client.get(
        "/api/v1/discover", params={"genre": "Drama,Crime", "limit": 100}
    ).json()
    got_or = demo_client.get(
        "/api/v1/discover", params={"genre": "drama|crime", "limit": 100}
    ).json()
    assert {i["id"] for i in got_and["items"]} == both and got_and["total"] == len(both)
    assert got_or["total"] == len(either)
    ranked = demo_client.get(
        "/api/v1/discover",
        params={"year_from": 2000, "year_to": 2009, "sort": "revenue", "limit": 5},
    ).json()
    values = [i["value"] for i in ranked["items"]]
    assert values == sorted(values, reverse=True)
    assert all(2000 <= i["year"] <= 2009 for i in ranked["items"])
    spain = demo_client.get("/api/v1/discover", params={"country": "España", "limit": 100}).json()
    assert spain["total"] == sum("Spain" in m["countries"] for m in movies)
    pixar = demo_client.get(
        "/api/v1/discover", params={"company": "pixar", "language": "en"}
    ).json()
    assert pixar["total"] >= 5


def test_bad_parameters(demo_client: TestClient) -> None:
    for path, params in [
        ("/api/v1/discover", {"genre": "Nope"}),
        ("/api/v1/discover", {"sort": "magic"}),
        ("/api/v1/discover", {"year_from": 2010, "year_to": 2000}),
        ("/api/v1/discover", {"genre": "Drama,Crime|War"}),
        ("/api/v1/stats/top", {"entity": "planet"}),
        ("/api/v1/stats/top", {"entity": "movie", "metric": "count"}),
        ("/api/v1/stats/releases", {"by": "century"}),
    ]:
        response = demo_client.get(path, params=params)
        assert response.status_code == 422, (path, params)
    assert demo_client.get("/api/v1/discover", params={"company": "zzzzqqq"}).status_code == 404
