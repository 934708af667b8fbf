"""Search on the real catalogue: the search test set and the cases users reported."""

from __future__ import annotations

import pytest
from benchmarks.bench_search import judge, load_set
from fastapi.testclient import TestClient

pytestmark = pytest.mark.integration


def test_search_set_is_found_at_the_needed_rank(real_client: TestClient) -> None:
    """tests/data/search_set.json (titles, people, aliases, months, descriptions): ≥ 95%."""

    def get(path: str) -> tuple[int, object]:
        response = real_client.get(path)
        return response.status_code, response.json()

    results = judge(load_set(), get)
    missed = [(r["route"], r["q"], r["got_rank"]) for r in results if not r["found"]]
    share = 1 - len(missed) / len(results)
    assert share >= 0.95, missed
    by_route: dict[str, list[bool]] = {}
    for r in results:
        by_route.setdefault(r["route"], []).append(r["found"])
    for route in ("movies", "people", "country", "language", "month", "day"):
        hits = by_route[route]
        assert sum(hits) / len(hits) >= 0.95, (route, missed)


def first_titles(client: TestClient, q: str, n: int = 1) -> list[str]:
    items = client.get("/api/v1/movies/search", params={"q": q}).json()["items"]
    return [f"{m['title']} ({m['year']})" for m in items[:n]]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("godfather", "The Godfather (1972)"),
        ("dark knight", "The Dark Knight (2008)"),
        ("nemo", "Finding Nemo (2003)"),
        ("matrx", "The Matrix (1999)"),
        ("interstelar", "Interstellar (2014)"),
        ("pulp ficton", "Pulp Fiction (1994)"),
        ("rocky 2", "Rocky II (1979)"),
        ("el laberinto del fauno", "Pan's Labyrinth (2006)"),
    ],
)
def test_reported_title_searches(real_client: TestClient, q: str, expected: str) -> None:
    assert first_titles(real_client, q) == [expected]


@pytest.mark.parametrize(
    ("q", "expected"),
    [("nolan", "Christopher Nolan"), ("hanks", "Tom Hanks"), ("dicaprio", "Leonardo DiCaprio")],
)
def test_reported_people_searches(real_client: TestClient, q: str, expected: str) -> None:
    items = real_client.get("/api/v1/people/search", params={"q": q}).json()["items"]
    assert items[0]["name"] == expected


@pytest.mark.parametrize(
    ("path", "first"),
    [
        ("/get_actor/DiCaprio", "Leonardo DiCaprio"),
        ("/get_director/nolan", "Christopher Nolan"),
        ("/get_director/kubrik", "Stanley Kubrick"),
        ("/get_actor/scarlet johansson", "Scarlett Johansson"),
    ],
)
def test_course_name_routes_suggest_the_intended_person(
    real_client: TestClient, path: str, first: str
) -> None:
    response = real_client.get(path)
    assert response.status_code == 404
    assert response.json()["sugerencias"][0] == first


def test_article_free_titles_answer_and_typos_suggest(real_client: TestClient) -> None:
    """An article-free title is the same title: `/score_titulo/matrix` answers The Matrix."""
    body = real_client.get("/score_titulo/matrix").json()
    assert (body["titulo"], body["anio"]) == ("The Matrix", 1999)
    response = real_client.get("/score_titulo/matrx")
    assert response.status_code == 404 and response.json()["sugerencias"][0] == "The Matrix"


@pytest.mark.parametrize(
    ("alias", "iso"),
    [
        ("UK", "GB"), ("Reino Unido", "GB"), ("Great Britain", "GB"), ("USA", "US"),
        ("US", "US"), ("EEUU", "US"), ("EE. UU.", "US"), ("Estados Unidos", "US"),
        ("United States of America", "US"), ("Alemania", "DE"), ("Deutschland", "DE"),
        ("Ukraine", "UA"), ("UA", "UA"),
    ],
)  # fmt: skip
def test_country_aliases(real_client: TestClient, alias: str, iso: str) -> None:
    body = real_client.get(f"/peliculas_pais/{alias}").json()
    assert body["codigo"] == iso
    assert body["pais"] in body["mensaje"]


@pytest.mark.parametrize("alias", ["Korea", "Congo", "Ukraina2", "xx", "Narnia"])
def test_unknown_or_ambiguous_countries_are_404(real_client: TestClient, alias: str) -> None:
    response = real_client.get(f"/peliculas_pais/{alias}")
    assert response.status_code == 404 and "sugerencias" in response.json()


@pytest.mark.parametrize(
    ("q", "movie"),
    [
        ("a clownfish searches the ocean for his missing son", "Finding Nemo"),
        ("thieves enter people's dreams to plant an idea", "Inception"),
        ("robot space garbage", "WALL·E"),
        ("a fish looking for his son", "Finding Nemo"),
    ],
)
def test_semantic_search_finds_described_movies(
    real_client: TestClient, q: str, movie: str
) -> None:
    items = real_client.get("/api/v1/search/semantic", params={"q": q, "limit": 5}).json()["items"]
    assert movie in [item["title"] for item in items]
