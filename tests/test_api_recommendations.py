"""/api/v1 recommendations on the demo data."""

from __future__ import annotations

from fastapi.testclient import TestClient

TOY_STORY, DARK_KNIGHT, TITANIC = 862, 155, 597


def _ids(body: dict[str, object]) -> list[int]:
    return [int(i["id"]) for i in body["items"]]  # type: ignore[index, union-attr, attr-defined]


def test_movie_recommendations_have_reasons(demo_client: TestClient) -> None:
    response = demo_client.get(f"/api/v1/movies/{DARK_KNIGHT}/recommendations?limit=10")
    assert response.status_code == 200
    body = response.json()
    assert body["movie"] == {"id": DARK_KNIGHT, "title": "The Dark Knight", "year": 2008}
    assert body["strategy"] == "hybrid"
    assert 5 <= len(body["items"]) <= 10
    assert DARK_KNIGHT not in _ids(body)
    assert all(item["reasons"] for item in body["items"])
    # the sequels first (the demo's model is too small to learn the director; the real
    # data's is checked in test_integration_real)
    assert {i["title"] for i in body["items"][:2]} == {"The Dark Knight Rises", "Batman Begins"}
    scores = [item["score"] for item in body["items"]]
    assert scores == sorted(scores, reverse=True)


def test_each_strategy(demo_client: TestClient) -> None:
    for strategy in ("hybrid", "similar", "content", "collaborative", "popular"):
        body = demo_client.get(
            f"/api/v1/movies/{TOY_STORY}/recommendations", params={"strategy": strategy}
        ).json()
        assert body["strategy"] == strategy and body["items"], strategy
    content = demo_client.get(
        f"/api/v1/movies/{TOY_STORY}/recommendations", params={"strategy": "content"}
    ).json()
    assert {"Toy Story 2", "Toy Story 3"} <= {i["title"] for i in content["items"]}


def test_the_movie_view_gives_the_similar_movies_and_the_blend(demo_client: TestClient) -> None:
    """The web page's one round trip: the similar list (what a fan calls similar) and the
    default blend, each as its own route gives it, under the same filters."""
    params = {"genre": "Animation", "year_from": 1995}
    view = demo_client.get(f"/api/v1/views/movie/{TOY_STORY}", params=params).json()
    assert view["movie"]["id"] == TOY_STORY
    for key, strategy in (("similar", "similar"), ("recommendations", "hybrid")):
        alone = demo_client.get(
            f"/api/v1/movies/{TOY_STORY}/recommendations",
            params={**params, "strategy": strategy, "limit": 12},
        ).json()
        assert view[key]["strategy"] == strategy
        assert view[key]["items"] == alone["items"] and alone["items"], key
    assert "Toy Story 2" in {i["title"] for i in view["similar"]["items"]}


def test_collaborative_without_ratings_is_an_empty_list_with_a_note(
    demo_client: TestClient, demo_state: object
) -> None:
    from cinerec.api.state import ServiceState

    assert isinstance(demo_state, ServiceState)
    model, catalog = demo_state.recommender, demo_state.catalog
    unrated = next(r for r in range(len(catalog)) if not model.has_collaborative(r))
    movie_id = int(catalog.movie_id[unrated])
    response = demo_client.get(
        f"/api/v1/movies/{movie_id}/recommendations", params={"strategy": "collaborative"}
    )
    assert response.status_code == 200
    assert response.json()["items"] == [] and "ratings" in response.json()["note"]


def test_filters(demo_client: TestClient) -> None:
    body = demo_client.get(
        f"/api/v1/movies/{TOY_STORY}/recommendations",
        params={"genre": "Animation", "year_from": 2000, "year_to": 2015, "limit": 20},
    ).json()
    assert body["items"]
    assert all(2000 <= i["year"] <= 2015 for i in body["items"])
    excluded = _ids(body)[0]
    again = demo_client.get(
        f"/api/v1/movies/{TOY_STORY}/recommendations",
        params={"genre": "Animation", "year_from": 2000, "exclude": f"{excluded},1"},
    ).json()
    assert excluded not in _ids(again)
    min_votes = demo_client.get(
        f"/api/v1/movies/{TOY_STORY}/recommendations", params={"min_votes": 10000}
    ).json()
    assert len(min_votes["items"]) >= 1


def test_bad_parameters(demo_client: TestClient) -> None:
    base = f"/api/v1/movies/{TOY_STORY}/recommendations"
    for params in ({"limit": 0}, {"limit": 101}, {"strategy": "magic"}, {"genre": "Nope"},
                   {"exclude": "a,b"}, {"year_from": 2010, "year_to": 2000}):  # fmt: skip
        response = demo_client.get(base, params=params)
        assert response.status_code == 422, params
        assert "detail" in response.json()
    missing = demo_client.get("/api/v1/movies/999999999/recommendations")
    assert missing.status_code == 404 and "detail" in missing.json()
    assert demo_client.get("/api/v1/movies/abc/recommendations").status_code == 422


def test_taste_profile(demo_client: TestClient) -> None:
    response = demo_client.post(
        "/api/v1/recommendations",
        json={"liked": [TOY_STORY, DARK_KNIGHT], "disliked": [TITANIC], "limit": 15},
    )
    assert response.status_code == 200
    body = response.json()
    ids = _ids(body)
    assert len(ids) == 15
    assert not {TOY_STORY, DARK_KNIGHT, TITANIC} & set(ids)
    assert [m["id"] for m in body["liked"]] == [TOY_STORY, DARK_KNIGHT]
    assert demo_client.post("/api/v1/recommendations", json={"liked": []}).status_code == 422
    assert demo_client.post("/api/v1/recommendations", json={"liked": [1]}).status_code == 404
    assert demo_client.post("/api/v1/recommendations", json={"liked": "x"}).status_code == 422


def test_profile_by_titles_says_what_each_resolved_to(demo_client: TestClient) -> None:
    body = {"liked": ["toy story", {"title": "Finding Nemo", "year": 2003}, 862 + 1], "limit": 5}
    response = demo_client.post("/api/v1/recommendations", json=body)
    assert response.status_code == 200, response.text
    liked = response.json()["liked"]
    assert [(m["title"], m["requested"]) for m in liked] == [
        ("Toy Story", "toy story"),
        ("Finding Nemo", "Finding Nemo (2003)"),
        ("Toy Story 2", 863),
    ]
    by_id = demo_client.post("/api/v1/recommendations", json={"liked": [862, 12, 863], "limit": 5})
    assert response.json()["items"] == by_id.json()["items"]


def test_profile_with_an_unknown_title_is_404_naming_it(demo_client: TestClient) -> None:
    response = demo_client.post("/api/v1/recommendations", json={"liked": ["toy stroy"]})
    assert response.status_code == 404
    body = response.json()
    assert "toy stroy" in body["detail"] and body["suggestions"][0] == "Toy Story"
    wrong_year = demo_client.post(
        "/api/v1/recommendations", json={"liked": [{"title": "Toy Story", "year": 1950}]}
    )
    assert wrong_year.status_code == 404 and "1950" in wrong_year.json()["detail"]
    for bad in ([{"title": ""}], [True], [{"title": "x", "extra": 1}], []):
        assert demo_client.post("/api/v1/recommendations", json={"liked": bad}).status_code == 422
