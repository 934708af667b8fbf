"""Serving: time to ready, resident memory, and throughput/latency per endpoint under wrk.

    python benchmarks/bench_serve.py --data CATALOG_DIR [--duration 5] [--connections 32]

Starts `cinerec serve` on a free loopback port (one worker), waits for /healthz, then runs
wrk (bounded in time) against each endpoint, one after the other, on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ENDPOINTS = [
    "/healthz",
    "/cantidad_filmaciones_mes/enero",
    "/cantidad_filmaciones_dia/lunes",
    "/score_titulo/toy%20story",
    "/votos_titulo/toy%20story",
    "/get_actor/tom%20hanks",
    "/get_director/james%20cameron",
    "/recomendacion/toy%20story",
    "/peliculas_idioma/en",
    "/franquicia/toy%20story",
    "/peliculas_pais/spain",
    "/productoras_exitosas/pixar%20animation%20studios",
    "/api/v1/movies/862/recommendations?limit=10",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def wrk(url: str, duration: int, connections: int) -> dict[str, str]:
    out = subprocess.run(
        # wrk refuses fewer connections than threads (one connection: one thread)
        ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        timeout=duration + 30,
    ).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"\s50%\s+(\S+)", out)
    p99 = re.search(r"\s99%\s+(\S+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps.group(1) if rps else "?",
        "p50": p50.group(1) if p50 else "?",
        "p99": p99.group(1) if p99 else "?",
        "errors": (errors.group(1) if errors else "0") + (f" ({sock.group(1)})" if sock else ""),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install -y wrk)")
    port = free_port()
    cinerec = Path(sys.executable).with_name("cinerec")
    started = time.perf_counter()
    server = subprocess.Popen(
        [
            str(cinerec),
            "serve",
            "--data",
            str(args.data),
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.02)
            if time.perf_counter() - started > 60:
                raise SystemExit("server did not become ready within 60 s")
        ready = time.perf_counter() - started
        threads = min(2, args.connections)
        print(
            f"machine: {os.cpu_count()} cores; wrk -t{threads} -c{args.connections} -d{args.duration}s"
        )
        print(f"ready after {ready:.2f} s; resident memory at ready {rss_mb(server.pid):.0f} MB")
        print()
        print("| endpoint | req/s | p50 | p99 | non-2xx |")
        print("|---|---|---|---|---|")
        for path in ENDPOINTS:
            r = wrk(base + path, args.duration, args.connections)
            print(f"| `{path}` | {r['rps']} | {r['p50']} | {r['p99']} | {r['errors']} |")
        print()
        print(f"resident memory after the load: {rss_mb(server.pid):.0f} MB")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
