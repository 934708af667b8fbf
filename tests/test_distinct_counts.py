"""Every count of movies is a count of distinct movies, every sum is over distinct movies.

The demo data names, on purpose, a country twice (Back to the Future: US, US), a company twice
(the same film: Universal Pictures), a genre and a keyword twice (The Prestige: Mystery,
magician), an actor in two roles (Back to the Future Part II: Michael J. Fox) and a person with
two crew jobs and the same job twice (Back to the Future: Robert Zemeckis, Director twice and
Screenplay). Each aggregate is checked against `recount`, a csv + ast recount of the raw files.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from cinerec.api.state import ServiceState
from cinerec.eda.report import EdaSummary, build_report
from cinerec.queries import browse, course

from .recount import Recount, recount

BTTF, BTTF2, PRESTIGE = 105, 165, 1124
FOX, ZEMECKIS = 521, 24


@pytest.fixture(scope="module")
def raw_count(demo_raw: Path) -> Recount:
    return recount(demo_raw)


@pytest.fixture(scope="module")
def demo_eda(demo_catalog_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> EdaSummary:
    return build_report(demo_catalog_dir, tmp_path_factory.mktemp("eda") / "eda.html")


def test_the_demo_data_holds_each_duplicate(demo_raw: Path) -> None:
    """The quirks this file is about are really in the raw files (so the tests can fail)."""
    movies = (demo_raw / "movies_dataset.csv").read_text("utf-8")
    credits = (demo_raw / "credits.csv").read_text("utf-8")
    keywords = (demo_raw / "keywords.csv").read_text("utf-8")
    bttf = next(line for line in movies.splitlines() if ",105,tt0088763," in line)
    assert bttf.count("'iso_3166_1': 'US'") == 2
    assert bttf.count("'name': 'Universal Pictures'") == 2
    prestige = next(line for line in movies.splitlines() if ",1124,tt0482571," in line)
    assert prestige.count("'name': 'Mystery'") == 2
    prestige_kw = next(line for line in keywords.splitlines() if line.startswith("1124,"))
    assert prestige_kw.count("'name': 'magician'") == 2
    bttf2 = next(line for line in credits.splitlines() if line.endswith(",165"))
    assert bttf2.count("'name': 'Michael J. Fox'") == 2
    bttf_credits = next(line for line in credits.splitlines() if line.endswith(",105"))
    assert bttf_credits.count("'job': 'Director', 'name': 'Robert Zemeckis'") == 2
    assert bttf_credits.count("'job': 'Screenplay', 'name': 'Robert Zemeckis'") == 1


def test_the_link_tables_hold_distinct_pairs(demo_catalog_dir: Path) -> None:
    import duckdb

    tables = demo_catalog_dir / "current" / "tables"
    for name, key in (("genres", "genre_id"), ("companies", "company_id"),
                      ("countries", "iso"), ("languages", "iso"), ("keywords", "keyword_id")):  # fmt: skip
        rows, pairs = duckdb.sql(
            f"SELECT count(*), count(DISTINCT (movie_id, {key})) "
            f"FROM read_parquet('{tables / name}.parquet')"
        ).fetchall()[0]
        assert rows == pairs, name
    # two roles stay two credits (both characters are kept); a repeated crew entry is one
    cast = duckdb.sql(
        f"SELECT character FROM read_parquet('{tables / 'movie_cast.parquet'}') "
        f"WHERE movie_id = {BTTF2} AND person_id = {FOX} ORDER BY position"
    ).fetchall()
    assert [c for (c,) in cast] == ["Marty McFly", "Marty McFly Jr. / Marlene McFly"]
    crew = duckdb.sql(
        f"SELECT job FROM read_parquet('{tables / 'movie_crew.parquet'}') "
        f"WHERE movie_id = {BTTF} AND person_id = {ZEMECKIS} ORDER BY job"
    ).fetchall()
    assert [j for (j,) in crew] == ["Director", "Screenplay"]


def test_course_country_and_company_routes(demo_client: TestClient, raw_count: Recount) -> None:
    countries = raw_count.by("countries")
    assert BTTF in countries["United States of America"]
    for name, movies in countries.items():
        body = demo_client.get(f"/peliculas_pais/{quote(name)}").json()
        assert body["cantidad"] == len(movies), name
    companies = raw_count.by("companies")
    folded = [name.casefold() for name in companies]
    for name, movies in companies.items():
        if folded.count(name.casefold()) > 1:  # 'ARTE' and 'Arte' are one name to the route
            continue
        body = demo_client.get(f"/productoras_exitosas/{quote(name, safe='')}").json()
        assert (body["productora"], body["cantidad"]) == (name, len(movies)), name
        assert body["revenue_total"] == pytest.approx(raw_count.revenue(movies)), name


def test_course_collection_actor_and_director_routes(
    demo_client: TestClient, demo_state: ServiceState, raw_count: Recount
) -> None:
    for name, movies in raw_count.by("collection").items():
        body = demo_client.get(f"/franquicia/{quote(name, safe='')}").json()
        assert body["cantidad"] == len(movies), name
        assert body["ganancia_total"] == pytest.approx(raw_count.revenue(movies)), name
    catalog = demo_state.catalog
    for person, movies in raw_count.by_person(raw_count.cast).items():
        row = catalog.person_row(person)
        actor = course.actor_success_by_row(catalog, row)
        assert actor.films == len(movies), person
        assert actor.return_total == pytest.approx(raw_count.return_total(movies)), person
    body = demo_client.get("/get_actor/Michael J. Fox").json()
    assert body["cantidad_filmaciones"] == len(raw_count.by_person(raw_count.cast)[FOX])
    for person, movies in raw_count.by_person(raw_count.directors).items():
        director = course.director_success_by_row(catalog, catalog.person_row(person))
        assert sorted(f.movie.id for f in director.films) == sorted(movies), person
        assert director.return_total == pytest.approx(raw_count.return_total(movies)), person
    body = demo_client.get("/get_director/Robert Zemeckis").json()
    ids = [f["id"] for f in body["peliculas"]]
    assert len(ids) == len(set(ids)) == len(raw_count.by_person(raw_count.directors)[ZEMECKIS])


def test_v1_people_and_movie_pages(demo_client: TestClient, raw_count: Recount) -> None:
    fox = demo_client.get(f"/api/v1/people/{FOX}").json()
    assert fox["as_actor"]["films"] == len(raw_count.by_person(raw_count.cast)[FOX])
    assert len({m["id"] for m in fox["acted_in"]}) == len(fox["acted_in"])
    zemeckis = demo_client.get(f"/api/v1/people/{ZEMECKIS}").json()
    assert zemeckis["as_director"]["films"] == len(
        raw_count.by_person(raw_count.directors)[ZEMECKIS]
    )
    movie = demo_client.get(f"/api/v1/movies/{BTTF2}").json()
    fox_credits = [c for c in movie["cast"] if c["id"] == FOX]
    assert [c["character"] for c in fox_credits] == [
        "Marty McFly / Marty McFly Jr. / Marlene McFly"
    ]
    bttf = demo_client.get(f"/api/v1/movies/{BTTF}").json()
    assert bttf["countries"].count("United States of America") == 1
    assert len(bttf["companies"]) == len(set(bttf["companies"]))
    assert [d["id"] for d in bttf["directors"]] == [ZEMECKIS]
    prestige = demo_client.get(f"/api/v1/movies/{PRESTIGE}").json()
    assert sorted(prestige["genres"]) == sorted(raw_count.movies[PRESTIGE].genres)
    assert sorted(prestige["keywords"]) == sorted(raw_count.keywords[PRESTIGE])


@pytest.mark.parametrize(
    ("entity", "attribute"),
    [
        ("country", "countries"),
        ("company", "companies"),
        ("genre", "genres"),
        ("collection", "collection"),
    ],
)
def test_stats_top_and_discover(
    entity: str,
    attribute: str,
    demo_client: TestClient,
    demo_state: ServiceState,
    raw_count: Recount,
) -> None:
    expected = raw_count.by(attribute)
    catalog = demo_state.catalog
    weighted = demo_state.recommender.weighted_rating
    for metric in ("count", "revenue"):
        entries = browse.top(catalog, entity, metric, limit=10_000)
        assert {e.name for e in entries} == set(expected), metric
        for e in entries:
            assert e.count == len(expected[e.name]), (metric, e.name)
            if metric == "revenue":
                assert e.value == pytest.approx(raw_count.revenue(expected[e.name])), e.name
    body = demo_client.get(f"/api/v1/stats/top?entity={entity}&metric=count&limit=100").json()
    for item in body["items"]:
        assert item["count"] == len(expected[item["name"]]), item
    if entity in ("country", "company", "genre"):
        for name, movies in expected.items():
            page = browse.discover(catalog, weighted, **{entity: name}, limit=100)
            assert page.total == len(movies), name
            assert len({m.movie.id for m in page.items}) == len(page.items), name


def test_the_eda_report(demo_eda: EdaSummary, raw_count: Recount) -> None:
    for kind, attribute in (("genres", "genres"), ("companies", "companies"),
                            ("countries", "countries"), ("collections", "collection")):  # fmt: skip
        expected = raw_count.by(attribute)
        got = demo_eda.entities[kind]
        assert set(got) == set(expected), kind
        for name, (movies, revenue) in got.items():
            assert movies == len(expected[name]), (kind, name)
            assert revenue == pytest.approx(raw_count.revenue(expected[name])), (kind, name)
    keyword_movies: dict[str, int] = {}
    for names in raw_count.keywords.values():
        for name in names:
            keyword_movies[name] = keyword_movies.get(name, 0) + 1
    assert demo_eda.keyword_movies == keyword_movies


# --- the real files (CINEREC_TEST_RAW_DIR) --------------------------------------------------


@pytest.fixture(scope="module")
def real_count(real_raw: Path) -> Recount:
    return recount(real_raw, credits=False)


@pytest.mark.integration
def test_real_countries_companies_genres(real_client: TestClient, real_count: Recount) -> None:
    body = real_client.get("/peliculas_pais/United States of America").json()
    assert body["cantidad"] == 21_134 == len(real_count.by("countries")["United States of America"])
    app = real_client.app
    catalog = app.state.service.catalog  # type: ignore[attr-defined]
    for entity, attribute in (("country", "countries"), ("company", "companies"),
                              ("genre", "genres")):  # fmt: skip
        expected = real_count.by(attribute)
        entries = browse.top(catalog, entity, "revenue", limit=100_000)
        # two ids may share a name (the recount goes by name): compare the unambiguous ones
        names = [e.name for e in entries]
        for e in entries:
            if names.count(e.name) == 1:
                assert e.count == len(expected[e.name]), (entity, e.name)
                assert e.value == pytest.approx(real_count.revenue(expected[e.name])), e.name


@pytest.mark.integration
def test_real_people_count_distinct_movies(real_client: TestClient, real_catalog_dir: Path) -> None:
    """Actors credited twice in one movie and people with two crew jobs: each movie once."""
    import duckdb

    tables = real_catalog_dir / "current" / "tables"
    doubled = duckdb.sql(
        f"""SELECT person_key, count(DISTINCT movie_id) AS films
            FROM read_parquet('{tables / "movie_cast.parquet"}')
            WHERE person_key IN (
                SELECT person_key FROM read_parquet('{tables / "movie_cast.parquet"}')
                GROUP BY movie_id, person_key HAVING count(*) > 1)
            GROUP BY person_key ORDER BY person_key LIMIT 40"""
    ).fetchall()
    assert len(doubled) >= 20  # the real credits do list actors twice in one movie
    for key, films in doubled:
        body = real_client.get(f"/api/v1/people/{key}").json()
        assert body["as_actor"]["films"] == films, key
    directors = duckdb.sql(
        f"""SELECT person_key, count(DISTINCT movie_id)
            FROM read_parquet('{tables / "movie_crew.parquet"}') WHERE job = 'Director'
              AND person_key IN (SELECT person_key FROM read_parquet('{tables / "movie_crew.parquet"}')
                                 GROUP BY movie_id, person_key HAVING count(*) > 1)
            GROUP BY person_key ORDER BY person_key LIMIT 40"""
    ).fetchall()
    assert len(directors) >= 20
    for key, films in directors:
        body = real_client.get(f"/api/v1/people/{key}").json()
        assert body["as_director"]["films"] == films, key
