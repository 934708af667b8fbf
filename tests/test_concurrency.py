"""Concurrency: many parallel requests during normal serving get the same answers as one at a
time, across worker processes too, including unknown names whose suggestions may be computed
while the background warm-up is still building the suggestion lists."""

from __future__ import annotations

import http.client
import json
import random
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
import uvicorn

from cinerec.api.app import create_app
from cinerec.api.state import ServiceState
from cinerec.catalog.arrays import KeyIndex
from cinerec.catalog.loaded import load_catalog
from cinerec.queries import course
from cinerec.queries.errors import NotFoundError
from cinerec.queries.resolve import _choices, suggestions_ready, warm_suggestions

from .served import Served, free_port, serve_catalog

Call = tuple[str, str, bytes | None]  # method, path, JSON body
Answer = tuple[int, bytes]  # status, body

CALLS: list[Call] = [
    ("GET", "/healthz", None),
    ("GET", "/cantidad_filmaciones_mes/enero", None),
    ("GET", "/cantidad_filmaciones_dia/Lunes", None),
    ("GET", "/score_titulo/Toy%20Story", None),
    ("GET", "/votos_titulo/toy%20story%202", None),
    ("GET", "/get_actor/Tom%20Hanks", None),
    ("GET", "/get_director/John%20Lasseter", None),
    ("GET", "/recomendacion/Toy%20Story", None),
    ("GET", "/peliculas_idioma/ingl%C3%A9s", None),
    ("GET", "/peliculas_duracion/Finding%20Nemo", None),
    ("GET", "/franquicia/Toy%20Story%20Collection", None),
    ("GET", "/peliculas_pais/Espa%C3%B1a", None),
    ("GET", "/productoras_exitosas/Pixar", None),
    # unknown names: 404 with suggestions (the fuzzy path)
    ("GET", "/get_actor/Tom%20Hanx", None),
    ("GET", "/get_director/Lasseterr", None),
    ("GET", "/score_titulo/Toy%20Stroy", None),
    ("GET", "/franquicia/Toy%20Stori%20Colection", None),
    ("GET", "/productoras_exitosas/Pixxar%20Animashun", None),
    ("GET", "/cantidad_filmaciones_mes/eneroo", None),
    # invalid input: 422
    ("GET", "/score_titulo/%21%21%21", None),
    ("GET", "/api/v1/discover?limit=0", None),
    # the product API
    ("GET", "/api/v1/movies/search?q=toy", None),
    ("GET", "/api/v1/movies/search?q=nemoo&limit=5", None),
    ("GET", "/api/v1/people/search?q=tom", None),
    ("GET", "/api/v1/movies/862", None),
    ("GET", "/api/v1/movies/1", None),
    ("GET", "/api/v1/people/31", None),
    ("GET", "/api/v1/movies/862/recommendations", None),
    ("GET", "/api/v1/movies/862/recommendations?strategy=content&limit=20", None),
    ("GET", "/api/v1/movies/862/recommendations?strategy=collaborative", None),
    ("GET", "/api/v1/movies/155/recommendations?strategy=popular&genre=Drama", None),
    ("GET", "/api/v1/discover?genre=Animation&sort=revenue", None),
    ("GET", "/api/v1/discover?genre=Drama|Crime&year_from=1990&order=asc", None),
    ("GET", "/api/v1/stats/releases?by=weekday", None),
    ("GET", "/api/v1/stats/top?entity=company&metric=count", None),
    ("GET", "/api/v1/search/semantic?q=toys%20that%20come%20to%20life", None),
    ("GET", "/api/v1/views/movie/862", None),
    ("GET", "/api/v1/views/stats", None),
    ("POST", "/api/v1/recommendations", b'{"liked": [862, 12], "disliked": [155], "limit": 8}'),
    ("GET", "/", None),
    ("GET", "/static/app.js", None),
]
REPEAT = 10  # 41 calls x 10 = 410 parallel requests
THREADS = 24

UNKNOWN_NAMES = ["Tom Hanx", "Jon Lasseter", "Tim Alen", "Toy Stroy", "Fnding Nemo", "Xyzzy"]


def _request(conn: http.client.HTTPConnection, call: Call) -> Answer:
    method, path, body = call
    headers = {"Content-Type": "application/json"} if body is not None else {}
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


def serial_answers(host: str, port: int, calls: list[Call]) -> dict[Call, Answer]:
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        return {call: _request(conn, call) for call in calls}
    finally:
        conn.close()


def parallel_answers(host: str, port: int, calls: list[Call]) -> list[tuple[Call, Answer]]:
    """Each call answered from a pool of threads, each with its own keep-alive connection."""
    local = threading.local()
    opened: list[http.client.HTTPConnection] = []

    def one(call: Call) -> tuple[Call, Answer]:
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection(host, port, timeout=60)
            opened.append(conn)
        return call, _request(conn, call)

    try:
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            return list(pool.map(one, calls))
    finally:
        for conn in opened:
            conn.close()


def shuffled(calls: list[Call], repeat: int, seed: int = 0) -> list[Call]:
    mixed = calls * repeat
    random.Random(seed).shuffle(mixed)
    return mixed


def assert_same(expected: dict[Call, Answer], got: list[tuple[Call, Answer]]) -> None:
    for call, (status, _) in expected.items():
        assert status < 500, (call, status)
    different = [
        (call[0], call[1], answer[0], expected[call][0])
        for call, answer in got
        if answer != expected[call]
    ]
    assert not different, f"{len(different)} answers differ from the serial ones: {different[:5]}"


@pytest.fixture(scope="module")
def serial_demo(demo_server: Served) -> dict[Call, Answer]:
    """The answer to each call, one request at a time, from the real server."""
    return serial_answers(demo_server.host, demo_server.port, CALLS)


def test_serial_answers_are_what_the_calls_expect(serial_demo: dict[Call, Answer]) -> None:
    statuses = {call[1]: status for call, (status, _) in serial_demo.items()}
    assert statuses["/get_actor/Tom%20Hanks"] == 200
    assert statuses["/get_actor/Tom%20Hanx"] == 404
    assert statuses["/score_titulo/%21%21%21"] == 422
    assert sum(status == 200 for status in statuses.values()) >= 30
    body = json.loads(serial_demo[("GET", "/get_actor/Tom%20Hanx", None)][1])
    assert "Tom Hanks" in body["sugerencias"]


def test_parallel_requests_match_serial_answers(
    demo_server: Served, serial_demo: dict[Call, Answer]
) -> None:
    got = parallel_answers(demo_server.host, demo_server.port, shuffled(CALLS, REPEAT))
    assert len(got) == len(CALLS) * REPEAT
    assert_same(serial_demo, got)
    assert demo_server.alive()


def test_every_worker_process_gives_the_same_answers(
    demo_catalog_dir: Path, serial_demo: dict[Call, Answer], tmp_path: Path
) -> None:
    """Two worker processes (each with its own hash seed) answer exactly as one process."""
    with serve_catalog(demo_catalog_dir, tmp_path / "serve.log", "--workers", "2") as served:
        got = parallel_answers(served.host, served.port, shuffled(CALLS, 4, seed=1))
        assert_same(serial_demo, got)
        assert served.alive()


# ---------------------------------------------------------------------------------------------
# Unknown names while the suggestion lists are still being built in the background


@contextmanager
def inprocess_server(state: ServiceState) -> Iterator[tuple[str, int]]:
    """The app served by uvicorn in a thread of this process (as `cinerec serve` runs it)."""
    port = free_port()
    config = uvicorn.Config(
        create_app(state=state), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            assert thread.is_alive(), "the in-process server did not start"
            threading.Event().wait(0.01)
        yield "127.0.0.1", port
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def _suggestion_calls(names: list[str]) -> list[Call]:
    quoted = [name.replace(" ", "%20") for name in names]
    return [
        ("GET", f"/{route}/{name}", None)
        for name in quoted
        for route in ("get_actor", "get_director", "score_titulo", "recomendacion")
    ] + [("GET", f"/api/v1/people/search?q={name}", None) for name in quoted]


@pytest.fixture(params=["demo_catalog_dir", "real_catalog_dir"])
def catalogue_dir(request: pytest.FixtureRequest) -> Path:
    """The demo catalogue, and the real one when CINEREC_TEST_RAW_DIR is set (its suggestion
    lists take long enough to build that the requests really race the warm-up)."""
    path: Path = request.getfixturevalue(request.param)
    return path


def test_unknown_names_during_suggestion_warm_up(catalogue_dir: Path) -> None:
    """Parallel 404s as soon as the server answers, while the warm-up thread may still be
    building the suggestion lists: the same suggestions as once the lists are built."""
    calls = _suggestion_calls(UNKNOWN_NAMES)
    state = ServiceState.load(catalogue_dir)  # starts the warm-up thread
    with inprocess_server(state) as (host, port):
        got = parallel_answers(host, port, shuffled(calls, 3, seed=2))
        warm_suggestions(state.catalog)
        assert suggestions_ready(state.catalog)
        expected = serial_answers(host, port, calls)
    assert_same(expected, got)
    assert all(status in (200, 404) for status, _ in expected.values())


def test_suggestion_threads_agree_with_a_warm_catalogue(demo_catalog_dir: Path) -> None:
    """Many threads asking for suggestions at once on a fresh catalogue, racing the warm-up."""
    warm = load_catalog(demo_catalog_dir)
    warm_suggestions(warm)

    def suggestions(catalog: object, name: str) -> tuple[str, ...]:
        lookups = (course.actor_success, course.director_success)
        found: list[str] = []
        for lookup in lookups:
            try:
                lookup(catalog, name)  # type: ignore[arg-type]
            except NotFoundError as exc:
                found.extend(exc.suggestions)
        try:
            course.title_popularity(catalog, name)  # type: ignore[arg-type]
        except NotFoundError as exc:
            found.extend(exc.suggestions)
        return tuple(found)

    expected = {name: suggestions(warm, name) for name in UNKNOWN_NAMES}
    for _ in range(5):
        fresh = ServiceState.load(demo_catalog_dir).catalog  # warm-up thread starts now
        start = threading.Barrier(8)

        def ask(name: str, catalog: object = fresh, barrier: threading.Barrier = start) -> None:
            barrier.wait()
            assert suggestions(catalog, name) == expected[name], name

        with ThreadPoolExecutor(max_workers=8) as pool:
            for future in [pool.submit(ask, UNKNOWN_NAMES[i % 6]) for i in range(8)]:
                future.result()


def test_suggestion_lists_never_leak_between_indexes() -> None:
    """The suggestion cache (shared by the warm-up thread and requests) must not take a new
    index for a freed one whose array had the same `id()`: it would suggest the other
    catalogue's names, or fail on positions past the end of this one's (a 500). CPython
    reuses the memory of a freed array at once, so the old cache failed here ~every time."""
    for i in range(200):
        keys = [f"name {i} a", f"name {i} b"]
        index = KeyIndex.build(keys, np.zeros(len(keys), np.int64))
        assert _choices(index) == sorted(keys), i
        del index
