"""/api/v1 movies and people on the demo data."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_search_is_typo_case_and_accent_tolerant(demo_client: TestClient) -> None:
    body = demo_client.get("/api/v1/movies/search", params={"q": "toy stroy"}).json()
    assert body["items"][0]["title"].startswith("Toy Story")
    exact = demo_client.get("/api/v1/movies/search", params={"q": "TOY STORY"}).json()
    first = exact["items"][0]
    assert (first["id"], first["title"], first["year"]) == (862, "Toy Story", 1995)
    prefix = [i["title"] for i in exact["items"][:3]]
    assert prefix[0] == "Toy Story" and set(prefix[1:]) == {"Toy Story 2", "Toy Story 3"}
    amelie = demo_client.get("/api/v1/movies/search", params={"q": "Le fabuleux destin"}).json()
    assert amelie["items"][0]["title"] == "Amélie"
    kong = demo_client.get("/api/v1/movies/search", params={"q": "king kong", "year": 1933})
    assert [i["year"] for i in kong.json()["items"]] == [1933]


def test_search_pagination_and_bad_input(demo_client: TestClient) -> None:
    first = demo_client.get("/api/v1/movies/search", params={"q": "the", "limit": 2}).json()
    second = demo_client.get(
        "/api/v1/movies/search", params={"q": "the", "limit": 2, "offset": 2}
    ).json()
    assert first["limit"] == 2 and first["offset"] == 0 and first["total"] >= 4
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}
    for params in ({"q": ""}, {"q": "x", "limit": 0}, {"q": "x", "limit": 101}, {}):
        response = demo_client.get("/api/v1/movies/search", params=params)
        assert response.status_code == 422 and "detail" in response.json()


def test_movie_details(demo_client: TestClient) -> None:
    body = demo_client.get("/api/v1/movies/155").json()
    assert body["title"] == "The Dark Knight" and body["year"] == 2008
    assert body["directors"][0]["name"] == "Christopher Nolan"
    assert body["cast"][0]["character"] and body["cast"][0]["order"] == 0
    assert body["collection"] == "The Dark Knight Collection"
    assert "return" in body and body["return"] == body["revenue"] / body["budget"]
    assert body["weighted_rating"] is not None and body["keywords"]
    assert "English" in body["spoken_languages"] and body["countries"]
    amelie = demo_client.get("/api/v1/movies/194").json()
    assert "Français" in amelie["spoken_languages"] and amelie["original_language"] == "fr"
    assert demo_client.get("/api/v1/movies/999999999").status_code == 404
    assert demo_client.get("/api/v1/movies/-5").status_code == 422


def test_people(demo_client: TestClient) -> None:
    found = demo_client.get("/api/v1/people/search", params={"q": "cristopher nolan"}).json()
    nolan = found["items"][0]
    assert nolan["name"] == "Christopher Nolan" and nolan["films_as_director"] >= 7
    person = demo_client.get(f"/api/v1/people/{nolan['id']}").json()
    course = demo_client.get("/get_director/christopher nolan").json()
    assert person["as_director"]["films"] == len(course["peliculas"])
    assert abs(person["as_director"]["return_total"] - course["retorno_total_director"]) < 1e-9
    hanks = demo_client.get("/api/v1/people/search", params={"q": "tom hanks"}).json()["items"][0]
    actor = demo_client.get(f"/api/v1/people/{hanks['id']}").json()
    assert (
        actor["as_actor"]["films"]
        == demo_client.get("/get_actor/tom hanks").json()["cantidad_filmaciones"]
    )
    assert demo_client.get("/api/v1/people/123456789").status_code == 404


def test_semantic_search(demo_client: TestClient) -> None:
    body = demo_client.get(
        "/api/v1/search/semantic", params={"q": "a wizard school for young magicians"}
    ).json()
    assert body["items"] and "Harry Potter" in body["items"][0]["title"]
    assert body["items"][0]["matched"]
    heist = demo_client.get("/api/v1/search/semantic", params={"q": "heist inside dreams"}).json()
    assert "Inception" in [i["title"] for i in heist["items"][:3]]
    nothing = demo_client.get("/api/v1/search/semantic", params={"q": "zzzzqqqxx"}).json()
    assert nothing == {"items": [], "total": 0, "limit": 10, "offset": 0}
    assert demo_client.get("/api/v1/search/semantic", params={"q": ""}).status_code == 422


def test_every_v1_route_is_documented_with_an_example(demo_client: TestClient) -> None:
    schema = demo_client.get("/openapi.json").json()
    components = schema["components"]["schemas"]
    for path, methods in schema["paths"].items():
        if not path.startswith("/api/v1"):
            continue
        for method, operation in methods.items():
            response = operation["responses"]["200"]["content"]["application/json"]["schema"]
            name = response["$ref"].rsplit("/", 1)[-1]
            assert components[name].get("examples"), (
                f"{method.upper()} {path}: {name} has no example"
            )


def test_list_items_carry_what_a_card_needs(demo_client: TestClient) -> None:
    card = {"id", "title", "year", "genres", "vote_average", "vote_count", "poster_url"}
    for path, params in (
        ("/api/v1/movies/search", {"q": "toy story"}),
        ("/api/v1/discover", {"genre": "Animation"}),
        ("/api/v1/search/semantic", {"q": "toys come to life"}),
    ):
        items = demo_client.get(path, params=params).json()["items"]
        assert items and all(card <= set(item) for item in items), path
    toy = demo_client.get("/api/v1/movies/search", params={"q": "toy story"}).json()["items"][0]
    details = demo_client.get(f"/api/v1/movies/{toy['id']}").json()
    for key in ("genres", "vote_average", "vote_count", "poster_url", "year"):
        assert toy[key] == details[key], key
