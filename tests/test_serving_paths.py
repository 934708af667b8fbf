"""The precomputed and fast serving paths give exactly what the general computations give.

What is stored at build/train time (ranked default recommendations, shared-content bits,
reasons, key prefixes, title keys, release dates) and the shortcuts that read it are checked
against the computations they replace, on the demo catalogue and (integration) the real one.
"""

from __future__ import annotations

import bisect
import copy
import datetime as dt
import random
import string
import unicodedata
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pytest
from fastapi import FastAPI, Query, Request, Response
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from cinerec.api import fast
from cinerec.api.state import ServiceState
from cinerec.catalog.arrays import KeyIndex, StringTable
from cinerec.catalog.loaded import Catalog
from cinerec.queries.recommendations import Filters, recommend_for_movie, recommend_for_profile
from cinerec.recommend import links
from cinerec.recommend.explain import Source, reasons
from cinerec.recommend.judged import judged_queries
from cinerec.recommend.model import RecommenderIndex
from cinerec.textnorm import match_key


def _strip(picks: list[Any]) -> list[tuple[int, float, bool]]:
    return [(p.row, p.score, p.co_liked) for p in picks]


def check_ranked_equals_rescore(model: RecommenderIndex, catalog: Catalog, rows: list[int]) -> None:
    years = np.asarray(catalog.release_year)
    assert model.ranked is not None
    for row in rows:
        for limit in (1, 10, 50, 60):
            assert _strip(model.recommend([row], limit)) == _strip(model.rescore([row], limit))
        top = int(model.ranked.top[row])
        first = {int(x) for x in model.ranked.rows[row, :3] if x >= 0}
        for year in (1990, 2005):
            allowed = lambda r, year=year: years[r] >= year  # noqa: E731
            for exclude in (None, first, {top}):
                for limit in (5, 12):
                    fast_picks = model.recommend([row], limit, "hybrid", allowed, exclude)
                    slow = model.rescore([row], limit, "hybrid", allowed, exclude)
                    assert _strip(fast_picks) == _strip(slow), (row, year, exclude, limit)
        for limit in (5, 20):
            assert _strip(model.recommend([row], limit, "popular", None, first)) == _strip(
                model.rescore([row], limit, "popular", None, first)
            )
        for limit in (1, 5, 20, 60):  # the stored lists' shortcut (`/recomendacion`)
            for strategy in ("content", "similar"):
                assert _strip(model.recommend([row], limit, strategy)) == _strip(
                    model.rescore([row], limit, strategy)
                ), (row, limit, strategy)


def check_shared_bits(model: RecommenderIndex, catalog: Catalog, rows: list[int]) -> None:
    assert model.ranked is not None

    def kinds(a: int, b: int) -> int:
        bits = 0
        groups = (
            (links.SAME_DIRECTOR, catalog.movie_directors, None),
            (links.SAME_WRITER, catalog.movie_writers, None),
            (links.SAME_KEY_CREW, catalog.movie_key_crew, None),
            (links.SHARED_CAST, catalog.movie_cast, links.TOP_BILLED),
            (links.SHARED_KEYWORDS, catalog.keywords.of_movie, None),
            (links.SAME_GENRES, catalog.genres.of_movie, None),
        )
        for bit, csr, head in groups:
            if set(csr.group_list(a)[:head]) & set(csr.group_list(b)[:head]):
                bits |= bit
        collection = catalog.collection_at
        if collection[a] >= 0 and collection[a] == collection[b]:
            bits |= links.SAME_COLLECTION
        return bits

    # the fans' lists a build reads (every judged list): a film each one names
    named = [{q.row, *q.similar} for q in judged_queries(np.asarray(catalog.movie_id))]

    for row in rows:
        for position, other in enumerate(model.ranked.rows[row].tolist()):
            stored = int(model.ranked.shared[row, position]) & ~links.SIMILAR_STORY
            if stored & links.FANS_NAMED:  # only for films a fans' list names together
                assert any(row in films and other in films for films in named), (row, other)
            stored &= ~links.FANS_NAMED
            # a reason kept is a kind really shared (those whose signal added to the score)
            assert stored & ~(kinds(row, other) if other >= 0 else 0) == 0, (row, other)


def check_explanations(state: ServiceState, movie_ids: list[int]) -> None:
    catalog, model = state.catalog, state.recommender
    computed = copy.copy(model)
    computed.explanations = None  # every reason computed at request time
    for i, movie_id in enumerate(movie_ids):
        for limit in (10, 12, 20):
            assert recommend_for_movie(catalog, model, movie_id, limit) == recommend_for_movie(
                catalog, computed, movie_id, limit
            )
        f = Filters(year_from=1990)
        assert recommend_for_movie(catalog, model, movie_id, 12, filters=f) == (
            recommend_for_movie(catalog, computed, movie_id, 12, filters=f)
        )
        other = movie_ids[i - 1]
        assert recommend_for_profile(catalog, model, [movie_id], [other]) == (
            recommend_for_profile(catalog, computed, [movie_id], [other])
        )


def test_ranked_recommendations_equal_the_full_computation(demo_state: ServiceState) -> None:
    rows = list(range(len(demo_state.catalog)))
    check_ranked_equals_rescore(demo_state.recommender, demo_state.catalog, rows)


def test_shared_content_bits_equal_the_intersections(demo_state: ServiceState) -> None:
    check_shared_bits(
        demo_state.recommender, demo_state.catalog, list(range(len(demo_state.catalog)))
    )


def test_stored_reasons_equal_the_computed_ones(demo_state: ServiceState) -> None:
    check_explanations(demo_state, demo_state.catalog.movie_id.tolist())


REASON_BITS = {
    "same director": links.SAME_DIRECTOR,
    "same collection": links.SAME_COLLECTION,
    "same writer": links.SAME_WRITER,
    "same makers": links.SAME_KEY_CREW,
    "shared cast": links.SHARED_CAST,
    "shared keywords": links.SHARED_KEYWORDS,
    "same genres": links.SAME_GENRES,
    "a similar story": links.SIMILAR_STORY,
    "film fans name them together": links.FANS_NAMED,
}


def test_reasons_name_only_the_signals_that_contributed(demo_state: ServiceState) -> None:
    """Every reason of a stored recommendation is one of its kept bits (kept only when that
    signal added to the score; `check_shared_bits`: and only when really shared)."""
    catalog, model = demo_state.catalog, demo_state.recommender
    for row in range(len(catalog)):
        src = Source.of(catalog, [row])
        for p in model.recommend([row], 50):
            for reason in reasons(catalog, src, p.row, p.co_liked, p.shared):
                kind = reason.split(":")[0]
                if kind in REASON_BITS:
                    assert p.shared is not None and p.shared & REASON_BITS[kind], reason


@pytest.mark.integration
def test_serving_paths_on_the_real_catalogue(real_catalog_dir: Path) -> None:
    state = ServiceState.load(real_catalog_dir)
    rows = random.Random(0).sample(range(len(state.catalog)), 1500)
    check_ranked_equals_rescore(state.recommender, state.catalog, rows)
    check_shared_bits(state.recommender, state.catalog, rows)
    check_explanations(state, [int(state.catalog.movie_id[r]) for r in rows[:500]])


def test_key_lookup_bisects_like_the_bisect_module() -> None:
    rng = random.Random(1)
    words = {"".join(rng.choices("abcdefghij0", k=rng.randint(1, 14))) for _ in range(3000)}
    words |= {"thelordoftherings" + s for s in ("", "a", "b", "thereturnoftheking", "z")}
    keys = sorted(words)
    index = KeyIndex.build(keys, np.arange(len(keys)))
    encoded = [k.encode() for k in keys]
    probes = encoded + [k[: rng.randint(0, len(k))] for k in encoded] + [k + b"a" for k in encoded]
    for target in [*probes, b"", b"zzzzzzzzzzzz", b"\xff", b"thelordofthe"]:
        assert index._bisect(target) == bisect.bisect_left(encoded, target), target
    for i, key in enumerate(keys):
        assert index.lookup_list(key) == [i]
    assert index.lookup_list("nope-not-a-key") == []
    assert index.prefix("thelordoftherings", 10) == [
        i for i, k in enumerate(keys) if k.startswith("thelordoftherings")
    ]


def test_title_keys_and_release_dates_match_what_they_replace(demo_state: ServiceState) -> None:
    catalog = demo_state.catalog
    epoch = dt.date(1970, 1, 1)
    by_key: dict[str, int] = {}
    for row in range(len(catalog)):
        key = match_key(catalog.title.text(row))
        assert (catalog.title_key_at[row] == -1) == (key == "")
        if key:
            assert by_key.setdefault(key, catalog.title_key_at[row]) == catalog.title_key_at[row]
        days = int(catalog.release_days[row])
        assert catalog.release_date(row) == (epoch + dt.timedelta(days=days)).isoformat()
    assert len(set(by_key.values())) == len(by_key)


def test_string_tables_read_back_from_the_mapped_files(tmp_path: Path) -> None:
    for values in ([], [None], [""], ["a", None, "ñandú", "", "千と千尋"]):
        table = StringTable.from_strings(values)
        table.save(tmp_path, "t")
        loaded = StringTable.load(tmp_path, "t")
        for t in (table, loaded):
            assert [t.get(i) for i in range(len(t))] == values
            assert [t.text(i) for i in range(len(t))] == [v or "" for v in values]
            assert [t.raw(i) for i in range(len(t))] == [
                None if v is None else v.encode() for v in values
            ]


def test_match_key_ascii_shortcut_equals_the_general_rule() -> None:
    def general(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text)
        return "".join(
            c for c in decomposed.lower() if c.isalnum() and not unicodedata.combining(c)
        )

    rng = random.Random(2)
    alphabet = [chr(i) for i in range(128)]
    samples = ["".join(rng.choices(alphabet, k=rng.randint(1, 20))) for _ in range(5000)]
    for text in samples + list(string.printable):
        assert match_key(text) == general(text)


class _Query(BaseModel):
    limit: int = Field(default=10, ge=1, le=100)
    genre: str | None = Field(default=None, description="Comma-separated genres")
    year: int | None = Field(default=None, ge=1800, le=2200)


def test_one_call_query_parsing_matches_fastapi() -> None:
    """Same 422 errors and the same OpenAPI parameters as FastAPI's own query parameters."""
    app = FastAPI()

    @app.get("/declared/{x}")
    async def declared(
        x: int,
        limit: Annotated[int, Query(ge=1, le=100)] = 10,
        genre: Annotated[str | None, Query(description="Comma-separated genres")] = None,
        year: Annotated[int | None, Query(ge=1800, le=2200)] = None,
    ) -> dict[str, Any]:
        return {"limit": limit, "genre": genre, "year": year}

    @app.get("/parsed/{x}", openapi_extra=fast.query_openapi(_Query))
    async def parsed(x: int, request: Request) -> Response:
        return fast.json_response(fast.parse_query(request, _Query).model_dump())

    client = TestClient(app)
    for query in ("", "limit=5&genre=Drama&year=1999", "limit=0", "year=abc&limit=101",
                  "genre=&limit=7&limit=8", "other=1"):  # fmt: skip
        a, b = client.get(f"/declared/1?{query}"), client.get(f"/parsed/1?{query}")
        assert a.status_code == b.status_code, query
        if a.status_code == 200:
            assert a.json() == b.json(), query
        else:
            strip = lambda errors: [(e["loc"], e["msg"], e["type"]) for e in errors]  # noqa: E731
            assert strip(a.json()["detail"]) == strip(b.json()["detail"]), query
    paths = client.get("/openapi.json").json()["paths"]
    assert paths["/declared/{x}"]["get"]["parameters"] == paths["/parsed/{x}"]["get"]["parameters"]


def test_writers_are_the_crew_tables_writing_credits(demo_state: ServiceState) -> None:
    import pyarrow.parquet as pq

    from cinerec.catalog.indexer import NOT_WRITERS, WRITING_DEPARTMENT
    from cinerec.store import TABLES

    catalog = demo_state.catalog
    row_of = {int(m): r for r, m in enumerate(catalog.movie_id.tolist())}
    person_of = {int(k): p for p, k in enumerate(catalog.person_key.tolist())}
    expected: dict[int, list[int]] = {}
    crew = pq.read_table(catalog.build_dir / TABLES / "movie_crew.parquet").to_pylist()
    for credit in crew:
        if credit["department"] != WRITING_DEPARTMENT or credit["job"] in NOT_WRITERS:
            continue
        row, person = row_of.get(credit["movie_id"]), person_of.get(credit["person_key"])
        if row is not None and person is not None:
            writers = expected.setdefault(row, [])
            if person not in writers:
                writers.append(person)  # once each, in credit order
    assert expected  # the demo credits writers
    for row in range(len(catalog)):
        assert catalog.movie_writers.group_list(row) == expected.get(row, [])


def test_a_shared_writer_is_named_unless_named_as_the_director(demo_state: ServiceState) -> None:
    """Finding Nemo and WALL·E share Andrew Stanton, who wrote and directed both: he is named
    once, as the director when that reason is given, else as the writer; Blade Runner and Unforgiven share only their writer, David Webb Peoples."""
    catalog = demo_state.catalog
    row = {catalog.title.get(r): r for r in range(len(catalog))}
    nemo, wall_e = row["Finding Nemo"], row["WALL·E"]
    said = reasons(catalog, Source.of(catalog, [nemo]), wall_e, False, links.SAME_WRITER)
    assert said[0].startswith("same writer") and "Andrew Stanton" in said[0]  # no director said
    both = links.SAME_WRITER | links.SAME_DIRECTOR
    said = reasons(catalog, Source.of(catalog, [nemo]), wall_e, False, both)
    assert "Andrew Stanton" in said[0] and said[0].startswith("same director")
    assert not any(r.startswith("same writer") for r in said)
    blade, unforgiven = row["Blade Runner"], row["Unforgiven"]
    said = reasons(catalog, Source.of(catalog, [blade]), unforgiven, False, links.SAME_WRITER)
    assert said[0] == "same writer: David Webb Peoples"
    # not claimed when the model says the writers did not add to the score
    said = reasons(catalog, Source.of(catalog, [blade]), unforgiven, False, links.SAME_GENRES)
    assert not any(r.startswith("same writer") for r in said)


def test_key_crew_are_the_crew_tables_key_jobs(demo_state: ServiceState) -> None:
    import pyarrow.parquet as pq

    from cinerec.catalog.indexer import KEY_CREW_JOBS
    from cinerec.store import TABLES

    catalog = demo_state.catalog
    row_of = {int(m): r for r, m in enumerate(catalog.movie_id.tolist())}
    person_of = {int(k): p for p, k in enumerate(catalog.person_key.tolist())}
    expected: dict[int, list[tuple[int, int]]] = {}
    crew = pq.read_table(catalog.build_dir / TABLES / "movie_crew.parquet").to_pylist()
    for credit in crew:
        if credit["job"] not in KEY_CREW_JOBS:
            continue
        row, person = row_of.get(credit["movie_id"]), person_of.get(credit["person_key"])
        if row is not None and person is not None:
            found = expected.setdefault(row, [])
            if person not in [p for p, _ in found]:  # once each, their first key job
                found.append((person, KEY_CREW_JOBS.index(credit["job"])))
    assert expected  # the demo credits composers and producers
    key_crew = catalog.movie_key_crew
    for row in range(len(catalog)):
        start = int(key_crew.indptr[row])
        jobs = catalog.movie_key_crew_job[start : start + len(key_crew.group_list(row))]
        got = list(zip(key_crew.group_list(row), jobs.tolist(), strict=True))
        assert got == expected.get(row, [])


def test_shared_key_crew_is_named_with_their_jobs(demo_state: ServiceState) -> None:
    """Spirited Away and Howl's Moving Castle share Ghibli's producer and composer."""
    catalog = demo_state.catalog
    row = {catalog.title.get(r): r for r in range(len(catalog))}
    spirited, howl = row["Spirited Away"], row["Howl's Moving Castle"]
    said = reasons(catalog, Source.of(catalog, [spirited]), howl, False, links.SAME_KEY_CREW)
    assert said[0] == "same makers: Toshio Suzuki (producer), Joe Hisaishi (music)"
    assert links.shared_content(catalog, np.array([spirited]), np.array([howl]))[0] & (
        links.SAME_KEY_CREW
    )
    # not claimed when the model says the key crew did not add to the score
    said = reasons(catalog, Source.of(catalog, [spirited]), howl, False, links.SAME_GENRES)
    assert not any(r.startswith("same makers") for r in said)
