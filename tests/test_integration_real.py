"""On the real raw files (CINEREC_TEST_RAW_DIR): known values and independent recounts."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.integration

MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
          "septiembre", "octubre", "noviembre", "diciembre"]  # fmt: skip
DAYS = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]


def _movies_file(raw: Path) -> Path:
    for name in ("movies_dataset.csv.gz", "movies_dataset.csv", "movies_metadata.csv.gz",
                 "movies_metadata.csv"):  # fmt: skip
        if (raw / name).exists():
            return raw / name
    raise AssertionError("no movies file")


def _direct_dates(raw: Path) -> list[dt.date]:
    """Recount with the csv module: integer ids, first row per id, parseable dates."""
    path = _movies_file(raw)
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    seen: set[int] = set()
    dates = []
    for row in csv.DictReader(io.StringIO(data.decode("utf-8"))):
        raw_id = (row["id"] or "").strip()
        if not raw_id.isdigit():
            continue
        if int(raw_id) in seen:
            continue
        seen.add(int(raw_id))
        try:
            dates.append(dt.datetime.strptime(row["release_date"].strip(), "%Y-%m-%d").date())
        except ValueError:
            continue
    return dates


def test_counts_per_month_and_weekday_equal_a_direct_count(
    real_raw: Path, real_client: TestClient
) -> None:
    dates = _direct_dates(real_raw)
    by_month = Counter(d.month for d in dates)
    by_day = Counter(d.isoweekday() for d in dates)
    for number, name in enumerate(MONTHS, start=1):
        body = real_client.get(f"/cantidad_filmaciones_mes/{name.upper()}").json()
        assert body["cantidad"] == by_month[number], name
    for number, name in enumerate(DAYS, start=1):
        body = real_client.get(f"/cantidad_filmaciones_dia/{name}").json()
        assert body["cantidad"] == by_day[number], name
    assert sum(by_month.values()) == real_client.get("/healthz").json()["movies"]


def test_toy_story_score_and_votes(real_client: TestClient) -> None:
    score = real_client.get("/score_titulo/toy story").json()
    assert score["id"] == 862 and score["anio"] == 1995
    assert score["popularidad"] == pytest.approx(21.946943)
    votes = real_client.get("/votos_titulo/TOY STORY").json()
    assert votes["voto_total"] == 5415 and votes["voto_promedio"] == pytest.approx(7.7)


def test_james_cameron_return(real_client: TestClient) -> None:
    body = real_client.get("/get_director/james cameron").json()
    assert body["retorno_total_director"] == pytest.approx(54.2344, abs=1e-4)
    titles = {p["titulo"] for p in body["peliculas"]}
    assert {"Titanic", "Avatar", "The Terminator"} <= titles


def test_actor_counts_cast_credits_only(real_client: TestClient) -> None:
    body = real_client.get("/get_actor/Tom Hanks").json()
    assert body["cantidad_filmaciones"] >= 40
    assert body["retorno_promedio"] == pytest.approx(
        body["retorno_total"] / body["cantidad_filmaciones"]
    )
    assert 0 < body["peliculas_con_retorno"] <= body["cantidad_filmaciones"]


def test_matching_and_suggestions(real_client: TestClient) -> None:
    assert real_client.get("/score_titulo/wall-e").json()["titulo"] == "WALL·E"
    assert real_client.get("/score_titulo/amelie").json()["titulo"] == "Amélie"
    missing = real_client.get("/score_titulo/Toy Stroy")
    assert missing.status_code == 404
    assert "Toy Story" in missing.json()["sugerencias"]
    kong = real_client.get("/score_titulo/King Kong", params={"anio": 1933}).json()
    assert kong["anio"] == 1933
    assert (
        any(o["anio"] == 2005 for o in real_client.get("/score_titulo/King Kong").json()["otras"])
        or real_client.get("/score_titulo/King Kong").json()["anio"] == 2005
    )


def test_july_endpoints(real_client: TestClient) -> None:
    assert real_client.get("/peliculas_idioma/en").json()["cantidad"] > 30000
    assert real_client.get("/peliculas_idioma/inglés").json()["codigo"] == "en"
    assert real_client.get("/peliculas_idioma/French").json()["codigo"] == "fr"
    assert real_client.get("/peliculas_duracion/toy story").json()["duracion"] == 81.0
    toy = real_client.get("/franquicia/toy story collection").json()
    assert toy["cantidad"] == 3 and toy["ganancia_total"] > 1.9e9
    assert (
        real_client.get("/peliculas_pais/ES").json()["cantidad"]
        == real_client.get("/peliculas_pais/Spain").json()["cantidad"]
        > 500
    )
    pixar = real_client.get("/productoras_exitosas/pixar animation studios").json()
    assert pixar["cantidad"] > 20 and pixar["revenue_total"] > 5e9


def test_recommendation_is_five_distinct_other_movies(real_client: TestClient) -> None:
    body = real_client.get("/recomendacion/The Dark Knight").json()
    titles = body["lista recomendada"]
    assert len(titles) == 5 == len(set(titles))
    assert "The Dark Knight" not in titles
    assert {"The Dark Knight Rises", "Batman Begins"} & set(titles)


def test_v1_routes_on_real_data(real_client: TestClient) -> None:
    found = real_client.get("/api/v1/movies/search", params={"q": "Le fabuleux destin"}).json()
    assert found["items"][0]["title"] == "Amélie"
    typo = real_client.get("/api/v1/movies/search", params={"q": "intersteller"}).json()
    assert typo["items"][0]["title"] == "Interstellar"
    movie = real_client.get("/api/v1/movies/862").json()
    assert (
        movie["directors"][0]["name"] == "John Lasseter" and movie["cast"][0]["name"] == "Tom Hanks"
    )
    recs = real_client.get("/api/v1/movies/155/recommendations", params={"limit": 10}).json()
    assert len(recs["items"]) == 10 and all(i["reasons"] for i in recs["items"])
    # the sequels first, Nolan's other films credited to him (a candidate source of the list)
    assert {i["title"] for i in recs["items"][:2]} == {"The Dark Knight Rises", "Batman Begins"}
    nolan = [i for i in recs["items"] if "same director: Christopher Nolan" in i["reasons"]]
    assert {"Inception", "The Prestige"} <= {i["title"] for i in nolan}
    profile = real_client.post("/api/v1/recommendations", json={"liked": [862, 155], "limit": 10})
    assert profile.status_code == 200 and len(profile.json()["items"]) == 10
    both = real_client.get("/api/v1/discover", params={"genre": "Drama,Crime"}).json()["total"]
    either = real_client.get("/api/v1/discover", params={"genre": "Drama|Crime"}).json()["total"]
    drama = real_client.get("/api/v1/discover", params={"genre": "Drama"}).json()["total"]
    assert 0 < both < drama < either
    top = real_client.get("/api/v1/stats/top", params={"entity": "collection", "limit": 5}).json()
    assert top["items"][0]["name"] == "Harry Potter Collection"
    people = real_client.get("/api/v1/people/search", params={"q": "james camron"}).json()
    assert any(p["name"] == "James Cameron" for p in people["items"][:5])
    semantic = real_client.get("/api/v1/search/semantic", params={"q": "a heist in space"}).json()
    assert semantic["total"] > 0 and semantic["items"][0]["matched"]
    assert real_client.get("/").status_code == 200
