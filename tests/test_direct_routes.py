"""`DirectRoutes` (the hot GET routes called without FastAPI's per-request machinery) answers
byte for byte what the full stack answers, errors included, and keeps metrics and logs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from cinerec.api.app import create_app
from cinerec.api.fast import DirectRoutes, _direct
from cinerec.api.routers import course, recommendations
from cinerec.api.state import ServiceState

URLS = [
    "/cantidad_filmaciones_mes/enero",
    "/cantidad_filmaciones_mes/ENERO",
    "/cantidad_filmaciones_mes/brumario",
    "/cantidad_filmaciones_dia/sábado",
    "/cantidad_filmaciones_dia/",
    "/score_titulo/toy story",
    "/score_titulo/TOY%20STORY?anio=1995",
    "/score_titulo/toy story?anio=abc",
    "/score_titulo/toy story?anio=1500",
    "/score_titulo/toy story?anio=1995&anio=1996",
    "/score_titulo/zzqx unknown",
    "/score_titulo/../../etc/passwd",
    "/votos_titulo/toy story",
    "/votos_titulo/%E2%80%AEtoy",
    "/get_actor/tom hanks",
    "/get_actor/nobody at all",
    "/get_director/john lasseter",
    "/get_director/",
    "/recomendacion/toy story",
    "/recomendacion/toy story?anio=1995",
    "/recomendacion/" + "x" * 5000,
    "/peliculas_idioma/en",
    "/peliculas_idioma/klingon",
    "/peliculas_duracion/toy story",
    "/franquicia/toy story collection",
    "/peliculas_pais/spain",
    "/productoras_exitosas/pixar animation studios",
    "/api/v1/movies/862/recommendations",
    "/api/v1/movies/0862/recommendations?limit=3",
    "/api/v1/movies/862/recommendations?limit=0",
    "/api/v1/movies/862/recommendations?limit=NaN",
    "/api/v1/movies/862/recommendations?strategy=popular&limit=5",
    "/api/v1/movies/862/recommendations?strategy=collaborative",
    "/api/v1/movies/862/recommendations?strategy=bogus",
    "/api/v1/movies/862/recommendations?genre=Animation&year_from=1990&exclude=863,abc",
    "/api/v1/movies/862/recommendations?year_from=2000&year_to=1990",
    "/api/v1/movies/abc/recommendations",
    "/api/v1/movies/+862/recommendations",
    "/api/v1/movies/-1/recommendations",
    "/api/v1/movies/1e309/recommendations",
    "/api/v1/movies/99999999999999999999999/recommendations",
    "/api/v1/movies/999999999/recommendations",
]


def _full_stack_only(app: FastAPI) -> FastAPI:
    app.user_middleware = [m for m in app.user_middleware if m.cls is not DirectRoutes]
    return app


@pytest.fixture(scope="module")
def clients(demo_state: ServiceState) -> Iterator[tuple[TestClient, TestClient]]:
    with (
        TestClient(create_app(state=demo_state)) as direct,
        TestClient(_full_stack_only(create_app(state=demo_state))) as full,
    ):
        yield direct, full


def test_the_hot_routes_qualify() -> None:
    direct = {route.path for route, _, _ in _direct(course.router)}
    assert len(direct) == len(course.router.routes) == 12
    assert [r.path for r, _, _ in _direct(recommendations.router)] == [
        "/api/v1/movies/{movie_id}/recommendations"
    ]


def test_direct_routes_are_the_app_paths(demo_state: ServiceState) -> None:
    """The middleware compiles the routers' own paths: the app must not add a prefix."""
    paths = create_app(state=demo_state).openapi()["paths"]
    for router in (course.router, recommendations.router):
        for route, _, _ in _direct(router):
            assert route.path.replace(":path", "") in paths


@pytest.mark.parametrize("url", URLS)
def test_same_answer_as_the_full_stack(clients: tuple[TestClient, TestClient], url: str) -> None:
    direct, full = clients
    a, b = direct.get(url), full.get(url)
    assert (a.status_code, a.headers["content-type"]) == (b.status_code, b.headers["content-type"])
    assert a.content == b.content
    assert a.status_code < 500


def test_the_fast_path_answers(
    clients: tuple[TestClient, TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A found title never reaches FastAPI's route handling; an unknown one does (its 404)."""
    direct, _ = clients
    from fastapi import routing

    reached: list[str] = []
    original = routing.APIRoute.handle

    async def spy(self: routing.APIRoute, scope, receive, send):  # type: ignore[no-untyped-def]
        reached.append(self.path)
        await original(self, scope, receive, send)

    monkeypatch.setattr(routing.APIRoute, "handle", spy)
    assert direct.get("/score_titulo/toy story").status_code == 200
    assert direct.get("/api/v1/movies/862/recommendations").status_code == 200
    assert direct.get("/score_titulo/zzqx unknown").status_code == 404
    assert reached == ["/score_titulo/{titulo:path}"]


def test_metrics_and_request_ids_still_apply(clients: tuple[TestClient, TestClient]) -> None:
    direct, _ = clients
    r = direct.get("/recomendacion/toy story", headers={"X-Request-ID": "abc-123"})
    assert r.status_code == 200 and r.headers["x-request-id"] == "abc-123"
    metrics = direct.get("/metrics").text
    assert 'route="/recomendacion/{titulo:path}",status="200"' in metrics


def test_parsed_queries_are_reused_and_errors_never_cached(
    clients: tuple[TestClient, TestClient],
) -> None:
    from cinerec.api import fast
    from cinerec.api.routers.recommendations import RecommendationQuery

    direct, full = clients
    url = "/api/v1/movies/862/recommendations?limit=4&strategy=content"
    first, again = direct.get(url), direct.get(url)
    assert first.content == again.content == full.get(url).content
    assert len(first.json()["items"]) == 4
    assert (RecommendationQuery, b"limit=4&strategy=content") in fast._PARSED
    for _ in range(2):
        assert direct.get("/api/v1/movies/862/recommendations?limit=500").status_code == 422
    assert not [key for key in fast._PARSED if key[1] == b"limit=500"]
