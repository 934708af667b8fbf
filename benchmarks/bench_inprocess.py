"""In-process cost of a request through the app, without HTTP: what `DirectRoutes` saves, and
what the JSON access log costs.

    python benchmarks/bench_inprocess.py --data CATALOG [--calls 3000] [PATH ...]

Each path is called through the whole ASGI app (middlewares included) `--calls` times, three
rounds, best round kept: once as served (hot routes answered by `DirectRoutes`) and once with
`DirectRoutes` removed (everything through FastAPI's request handling). Then the first path
again, served, with the JSON access log at `info` written to /dev/null.
"""

from __future__ import annotations

import argparse
import asyncio
import logging.config
import time
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from cinerec.api.app import create_app
from cinerec.api.fast import DirectRoutes
from cinerec.api.observability import logging_config
from cinerec.api.state import ServiceState
from cinerec.queries.resolve import suggestions_ready

PATHS = [
    "/cantidad_filmaciones_mes/enero",
    "/score_titulo/toy story",
    "/get_director/james cameron",
    "/recomendacion/toy story",
    "/api/v1/movies/862/recommendations?limit=10",
]


def _scope(path: str) -> dict[str, Any]:
    route, _, query = path.partition("?")
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": route,
        "raw_path": route.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"bench")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
        "state": {},
    }


async def _receive() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _microseconds(app: FastAPI, path: str, calls: int) -> float:
    status: list[int] = []

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    for _ in range(100):
        await app(_scope(path), _receive, send)
    if status[-1] != 200:
        raise SystemExit(f"{path} answered {status[-1]}")
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(calls):
            await app(_scope(path), _receive, send)
        best = min(best, (time.perf_counter() - started) / calls * 1e6)
    return best


async def _run(state: ServiceState, paths: list[str], calls: int) -> None:
    served, full = create_app(state=state), create_app(state=state)
    full.user_middleware = [m for m in full.user_middleware if m.cls is not DirectRoutes]
    for app in (served, full):
        async with app.router.lifespan_context(app):
            pass
    print("| path | served (µs) | through FastAPI (µs) |\n|---|---|---|")
    for path in paths:
        a = await _microseconds(served, path, calls)
        b = await _microseconds(full, path, calls)
        print(f"| `{path}` | {a:.0f} | {b:.0f} |")
    config = logging_config("info", "json")
    for handler in config["handlers"].values():
        handler.pop("stream", None)
        handler["class"] = "logging.FileHandler"
        handler["filename"] = "/dev/null"
    logging.config.dictConfig(config)
    logged = await _microseconds(served, paths[0], calls)
    print(f"\n`{paths[0]}` with the JSON access log at info: {logged:.0f} µs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True, help="a built cinerec catalogue")
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("paths", nargs="*", default=PATHS)
    args = parser.parse_args()
    state = ServiceState.load(args.data)
    while not suggestions_ready(state.catalog):  # the warm-up thread would share the GIL
        time.sleep(0.05)
    asyncio.run(_run(state, args.paths, args.calls))


if __name__ == "__main__":
    main()
