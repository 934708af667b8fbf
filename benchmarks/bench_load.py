"""Load benchmark on loopback: the framework's ceiling, cinerec and the usual course API.

    python benchmarks/bench_load.py --data CATALOG --raw RAW_DIR \
        [--duration 3] [--connections 1,8,32] [--only ceiling,cinerec,baseline] \
        [--modes fixed,varied] [--baseline-data DIR] [--threads 1] [--json OUT]

Runs, one after the other, each on a free 127.0.0.1 port and with one worker:

- `ceiling`: `benchmarks/ceiling_app.py`, a do-nothing FastAPI route (`GET /noop`) under the
  same uvicorn settings as `cinerec serve`: the most any endpoint of this stack can reach;
- `cinerec`: `cinerec serve --data CATALOG --port P --log-level warning`;
- `baseline`: `benchmarks/baseline/app.py`, the usual course API (one pandas DataFrame filtered
  per request, TF-IDF + cosine against the whole catalogue per recommendation). Its table is
  written first by `benchmarks/baseline/prepare.py` from `--raw` (the course's ETL with
  `ast.literal_eval`; timed separately), unless `--baseline-data` already holds it.

For each server: ready time (process start to the first 200), resident memory (VmRSS at ready
and after the load, VmHWM = peak) and, for every route and connection count, a wrk run of fixed
duration: req/s, p50, p99 and errors (non-2xx responses + socket errors). Mode `fixed` repeats
one URL per route; mode `varied` rotates (wrk Lua script) through hundreds of real titles,
people and movie ids read from the catalogue at run time. Before the load each route is
checked once (and a sample of the varied URLs): 200 and a real answer, not an error message.
The ceiling server stays up while cinerec is measured and every cinerec run is preceded by a
ceiling run at the same concurrency (`--unpaired` skips this): the ratio cinerec/ceiling
compares two runs seconds apart, not minutes, on a machine whose load drifts.
Between runs the benchmark waits until the server is idle, so a slow server's queued requests
do not spill into the next run; a run in which fewer than 2 requests per connection complete
(the baseline's slowest routes under many connections) is repeated over 6x the duration
(at most 30 s), marked † in the tables. Every wait is bounded; the servers are stopped in `finally`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import quote

from cinerec.queries.course import MONTHS, WEEKDAYS

ROOT = Path(__file__).resolve().parents[1]
SERVERS = ("ceiling", "cinerec", "baseline")
MODES = ("fixed", "varied")

# targets of the production-readiness issue (full catalogue, one worker)
MIN_CEILING_RATIO = 0.7
MAX_P99_MS = 10.0
P99_AT_CONNECTIONS = 32
MAX_READY_S = 3.0
MAX_RSS_MB = 300.0


@dataclass(frozen=True)
class Route:
    key: str
    fixed: str  # the repeated URL of mode `fixed`
    template: str  # `{}` is replaced by each varied value (already quoted)
    pool: str  # which list of values mode `varied` rotates through
    servers: tuple[str, ...] = ("cinerec", "baseline")
    target: bool = True  # a course/product endpoint the targets apply to


NOOP = Route("noop", "/noop", "/noop", "none", ("ceiling",))
ROUTES = [
    # cinerec's own do-nothing route: the ceiling with cinerec's middleware (not a target)
    Route("healthz", "/healthz", "/healthz", "none", ("cinerec",), target=False),
    Route("mes", "/cantidad_filmaciones_mes/enero", "/cantidad_filmaciones_mes/{}", "months"),
    Route("dia", "/cantidad_filmaciones_dia/lunes", "/cantidad_filmaciones_dia/{}", "weekdays"),
    Route("score", "/score_titulo/toy%20story", "/score_titulo/{}", "titles"),
    Route("votos", "/votos_titulo/toy%20story", "/votos_titulo/{}", "titles"),
    Route("actor", "/get_actor/tom%20hanks", "/get_actor/{}", "actors"),
    Route("director", "/get_director/james%20cameron", "/get_director/{}", "directors"),
    Route("recomendacion", "/recomendacion/toy%20story", "/recomendacion/{}", "titles"),
    Route(
        "v1_recs",
        "/api/v1/movies/862/recommendations?limit=10",
        "/api/v1/movies/{}/recommendations?limit=10",
        "ids",
        ("cinerec",),
    ),
]
READY_PATH = {"ceiling": "/noop", "cinerec": "/readyz", "baseline": "/"}
# what the baseline answers (200, a JSON string) for unknown or unqualified input
BASELINE_ERROR = re.compile(r"no se encontr|no es válid|no cumple", re.IGNORECASE)


@dataclass
class ServerInfo:
    name: str
    command: list[str]
    ready_s: float = 0.0
    rss_ready_mb: float = 0.0
    rss_after_mb: float = 0.0
    peak_rss_mb: float = 0.0
    stack: str = ""
    check_failures: list[str] = field(default_factory=list)


@dataclass
class Run:
    server: str
    mode: str
    route: str
    url: str
    connections: int
    duration_s: int
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    error_detail: str
    # req/s of the ceiling's /noop at the same concurrency, measured just before this run
    # (cinerec's runs, while the ceiling server idles alongside): the ratio's denominator,
    # so that the machine's load, which drifts over minutes, weighs on both sides alike
    paired_ceiling_rps: float = float("nan")


# ---------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def proc_status_mb(pid: int, key: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def wait_idle(pid: int, timeout: float = 60.0) -> None:
    """Wait until the process uses under ~10% of a core (queued requests finished)."""
    hz = os.sysconf("SC_CLK_TCK")
    deadline = time.monotonic() + timeout
    before = cpu_ticks(pid)
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = cpu_ticks(pid)
        if now - before <= 0.025 * hz:
            return
        before = now


def loaded_stack(pid: int) -> str:
    maps = Path(f"/proc/{pid}/maps").read_text()
    loop = "uvloop" if "/uvloop/" in maps else "asyncio"
    http = "httptools" if "/httptools/" in maps else "h11"
    return f"{loop} + {http}"


def get(url: str, timeout: float = 10.0) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read().decode(errors="replace")


def start(
    info: ServerInfo, base: str, log: Path, timeout: float = 120.0
) -> subprocess.Popen[bytes]:
    started = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.Popen(info.command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    url = base + READY_PATH[info.name]
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{info.name} exited with {proc.returncode}:\n{log.read_text()}")
        try:
            if get(url, timeout=1)[0] == 200:
                break
        except OSError:
            pass
        if time.perf_counter() - started > timeout:
            stop(proc)
            raise RuntimeError(f"{info.name} not ready within {timeout:.0f} s")
        time.sleep(0.02)
    info.ready_s = time.perf_counter() - started
    info.rss_ready_mb = proc_status_mb(proc.pid, "VmRSS")
    info.stack = loaded_stack(proc.pid)
    return proc


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


# ---------------------------------------------------------------------------- workload


def table_dir(data: Path) -> Path:
    for candidate in (data / "current" / "tables", data / "tables"):
        if (candidate / "movies.parquet").exists():
            return candidate
    raise SystemExit(f"{data}: no tables/movies.parquet (is it a built catalogue?)")


def pools(data: Path, size: int) -> dict[str, list[str]]:
    """Real values to rotate through, from the catalogue: the most voted movies whose title no
    other movie shares (and has no '/'), and their top-billed actors and directors whose name no
    other person shares. Values are percent-encoded for the URL path."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    tables = table_dir(data)
    movies = pq.read_table(tables / "movies.parquet", columns=["id", "title", "vote_count"])
    movies = movies.sort_by([("vote_count", "descending")]).to_pylist()
    title_count: dict[str, int] = {}
    for m in movies:
        title_count[m["title"].lower()] = title_count.get(m["title"].lower(), 0) + 1
    chosen = [
        m
        for m in movies
        if (m["vote_count"] or 0) >= 2000 and title_count[m["title"].lower()] == 1
        if "/" not in m["title"]
    ][:size]
    ids = {m["id"] for m in chosen}

    people = pq.read_table(tables / "people.parquet", columns=["name"]).column("name").to_pylist()
    name_count: dict[str, int] = {}
    for name in people:
        name_count[name.lower()] = name_count.get(name.lower(), 0) + 1

    def unique_names(table: str, condition: Any) -> list[str]:
        t = pq.read_table(tables / table)
        t = t.filter(
            pc.and_(pc.is_in(t["movie_id"], value_set=pa.array(sorted(ids))), condition(t))
        )
        seen: dict[str, None] = {}
        for name in t.column("name").to_pylist():
            if name and "/" not in name and name_count.get(name.lower()) == 1:
                seen.setdefault(name, None)
        return list(seen)[:size]

    actors = unique_names("movie_cast.parquet", lambda t: pc.less(t["cast_order"], 3))
    directors = unique_names("movie_crew.parquet", lambda t: pc.equal(t["job"], "Director"))
    return {
        "none": [""],
        "months": list(MONTHS),
        "weekdays": [quote(d, safe="") for d in WEEKDAYS],
        "titles": [quote(m["title"], safe="") for m in chosen],
        "ids": [str(m["id"]) for m in chosen],
        "actors": [quote(a, safe="") for a in actors],
        "directors": [quote(d, safe="") for d in directors],
    }


def varied_urls(route: Route, values: dict[str, list[str]]) -> list[str]:
    return [route.template.format(v) for v in values[route.pool]]


def lua_script(paths: list[str], where: Path) -> Path:
    """A wrk script that rotates through `paths`; each wrk thread starts at its own offset."""
    body = ",\n".join(f'  "{p}"' for p in paths)
    where.write_text(
        "local paths = {\n" + body + "\n}\n"
        "local counter = 0\n"
        "function setup(thread)\n"
        "  thread:set('offset', counter * 7919)\n"
        "  counter = counter + 1\n"
        "end\n"
        "local i = nil\n"
        "function request()\n"
        "  if i == nil then i = offset or 0 end\n"
        "  i = i + 1\n"
        "  return wrk.format('GET', paths[(i % #paths) + 1])\n"
        "end\n"
    )
    return where


def to_ms(value: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if not m:
        return float("nan")
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[m.group(2)]
    return float(m.group(1)) * scale


def wrk(
    base: str, url: str, script: Path | None, duration: int, connections: int, threads: int
) -> dict[str, Any]:
    timeout = max(10, 3 * duration)
    command = [
        "wrk",
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{duration}s",
        f"--timeout={timeout}s",
        "--latency",
    ]
    if script is not None:
        command += ["-s", str(script)]
    out = subprocess.run(
        [*command, base + url], capture_output=True, text=True, timeout=duration + timeout + 30
    ).stdout
    requests = re.search(r"(\d+) requests in", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: (.*)", out)
    errors = int(non2xx.group(1)) if non2xx else 0
    detail = f"non-2xx {errors}" if errors else ""
    if sock:
        errors += sum(int(n) for n in re.findall(r"\d+", sock.group(1)))
        detail = (detail + "; " if detail else "") + sock.group(1).strip()
    if rps is None:
        errors, detail = max(errors, 1), "wrk gave no result: " + out.strip()[-200:]
    done = int(requests.group(1)) if requests else 0
    return {
        "requests": done,
        "rps": float(rps.group(1)) if rps else 0.0,
        # wrk prints 0 latencies when no request completed within the duration
        "p50_ms": to_ms(p50.group(1)) if p50 and done else float("nan"),
        "p99_ms": to_ms(p99.group(1)) if p99 and done else float("nan"),
        "errors": errors,
        "error_detail": detail,
    }


def check(server: str, base: str, url: str) -> str | None:
    """One request: None when it is a real answer, else what is wrong."""
    try:
        status, body = get(base + url, timeout=30)
    except OSError as exc:
        return f"{url}: {exc}"
    if status != 200:
        return f"{url}: HTTP {status}"
    answer = json.loads(body)
    if server == "baseline" and isinstance(answer, str) and BASELINE_ERROR.search(answer):
        return f"{url}: {answer}"
    return None


# ---------------------------------------------------------------------------- running


def extended_duration(duration: int) -> int:
    """The duration of a repeated run, when fewer than 2 requests per connection completed."""
    return max(duration, min(30, 6 * duration))


def prepare_baseline(raw: Path, out: Path) -> str:
    if (out / "movies.parquet").exists():
        return f"baseline table reused: {out / 'movies.parquet'}"
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "benchmarks.baseline.prepare", "--raw", str(raw), "--out", str(out)],
        cwd=ROOT,
        check=True,
        timeout=900,
        stdout=subprocess.DEVNULL,
    )
    import resource

    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return (
        f"baseline ETL (`python -m benchmarks.baseline.prepare`, pandas + ast.literal_eval, "
        f"run once before the API starts): {time.perf_counter() - started:.1f} s, "
        f"peak {peak:.0f} MB"
    )


def command_for(name: str, data: Path, baseline_data: Path, port: int) -> list[str]:
    py = sys.executable
    common = ["--port", str(port), "--log-level", "warning"]
    if name == "ceiling":
        return [py, "-m", "benchmarks.ceiling_app", *common]
    if name == "cinerec":
        return [str(Path(py).with_name("cinerec")), "serve", "--data", str(data), *common]
    return [py, "-m", "benchmarks.baseline.app", "--data", str(baseline_data), *common]


def bench_server(
    info: ServerInfo,
    base: str,
    values: dict[str, list[str]],
    args: argparse.Namespace,
    work: Path,
    runs: list[Run],
    ceiling: tuple[str, int] | None = None,
) -> subprocess.Popen[bytes] | None:
    """Measure one server; `ceiling` = (base URL, pid) of a running ceiling server to pair
    every run with. Returns the server still running if it is the ceiling and cinerec will
    be paired with it, else stops it."""
    routes = [r for r in [NOOP, *ROUTES] if info.name in r.servers]
    proc = start(info, base, work / f"{info.name}.log")
    keep = False
    try:
        print(
            f"  {info.name}: ready after {info.ready_s:.2f} s, {info.rss_ready_mb:.0f} MB",
            file=sys.stderr,
        )
        for route in routes:
            sample = varied_urls(route, values)
            step = max(1, len(sample) // 12)
            for url in [route.fixed, *sample[::step]] if "varied" in args.modes else [route.fixed]:
                problem = check(info.name, base, url)
                if problem:
                    info.check_failures.append(problem)
        wait_idle(proc.pid)
        for mode in args.modes:
            for route in routes:
                script = None
                url = url_label = route.fixed
                if mode == "varied":
                    paths = varied_urls(route, values)
                    script = lua_script(paths, work / f"{route.key}.lua")
                    url, url_label = paths[0], route.template
                for c in args.connections:
                    duration = args.duration
                    paired = float("nan")
                    if ceiling is not None:
                        # the same kind of run: a Lua script (which costs wrk CPU) when varied
                        noop_script = None
                        if mode == "varied":
                            noop_paths = varied_urls(NOOP, values)
                            noop_script = lua_script(noop_paths, work / "noop-paired.lua")
                        paired = wrk(
                            ceiling[0], NOOP.fixed, noop_script, duration, c, args.threads
                        )["rps"]
                        wait_idle(ceiling[1])
                    r = wrk(base, url, script, duration, c, args.threads)
                    if r["requests"] < 2 * c and not r["errors"]:
                        # too slow to measure in `duration` (all requests still in flight):
                        # once more, longer, so that req/s and latency mean something
                        wait_idle(proc.pid)
                        duration = extended_duration(args.duration)
                        r = wrk(base, url, script, duration, c, args.threads)
                    runs.append(Run(info.name, mode, route.key, url_label, c, duration, **r))
                    runs[-1].paired_ceiling_rps = paired
                    print(
                        f"  {info.name} {mode} {route.key} c={c}: {r['rps']:.0f} req/s, "
                        f"p99 {r['p99_ms']:.1f} ms, errors {r['errors']}",
                        file=sys.stderr,
                    )
                    wait_idle(proc.pid)
        info.rss_after_mb = proc_status_mb(proc.pid, "VmRSS")
        info.peak_rss_mb = proc_status_mb(proc.pid, "VmHWM")
        keep = info.name == "ceiling" and args.paired
        return proc if keep else None
    finally:
        if not keep:
            stop(proc)


# ---------------------------------------------------------------------------- report


def fmt(x: float, digits: int = 0) -> str:
    return "—" if x != x else f"{x:,.{digits}f}"


def report(
    servers: dict[str, ServerInfo], runs: list[Run], args: argparse.Namespace, notes: list[str]
) -> list[str]:
    lines: list[str] = []
    by = {(r.server, r.mode, r.route, r.connections): r for r in runs}
    slow: list[str] = []  # throughput under the target, one line per (mode, connections)
    p99_missed: list[str] = []

    lines.append("| server | stack | ready | RSS at ready | RSS after load | peak RSS | checks |")
    lines.append("|---|---|---|---|---|---|---|")
    for s in servers.values():
        ok = "ok" if not s.check_failures else f"{len(s.check_failures)} failed"
        lines.append(
            f"| {s.name} | {s.stack} | {s.ready_s:.2f} s | {s.rss_ready_mb:.0f} MB "
            f"| {s.rss_after_mb:.0f} MB | {s.peak_rss_mb:.0f} MB | {ok} |"
        )
    for s in servers.values():
        lines += [f"- {s.name} check failed: {f}" for f in s.check_failures[:20]]
    lines.append("")

    for mode in args.modes:
        for c in args.connections:
            lines.append(f"### {mode}, {c} connection{'s' if c > 1 else ''}")
            lines.append("")
            ceiling = by.get(("ceiling", mode, "noop", c))
            if ceiling:
                lines.append(
                    f"ceiling `/noop`: {fmt(ceiling.rps)} req/s, p50 {fmt(ceiling.p50_ms, 2)} ms, "
                    f"p99 {fmt(ceiling.p99_ms, 2)} ms, errors {ceiling.errors}"
                )
                lines.append("")
            lines.append(
                "| route | cinerec req/s (paired ceiling) | p50 | p99 | err | baseline req/s | p50 | p99 | err "
                "| cinerec/ceiling | cinerec/baseline |"
            )
            lines.append("|---|---|---|---|---|---|---|---|---|---|---|")
            under: list[str] = []
            for route in ROUTES:
                cr = by.get(("cinerec", mode, route.key, c))
                br = by.get(("baseline", mode, route.key, c))
                if cr is None and br is None:
                    continue
                cells = [f"`{route.fixed}`" if mode == "fixed" else f"`{route.template}`"]
                for r in (cr, br):
                    if r is None:
                        cells += ["", "", "", ""]
                    else:
                        mark = " †" if r.duration_s != args.duration else ""
                        cells += [
                            fmt(r.rps) + mark,
                            fmt(r.p50_ms, 2),
                            fmt(r.p99_ms, 2),
                            str(r.errors),
                        ]
                if cr and route.target and c == P99_AT_CONNECTIONS and not cr.p99_ms <= MAX_P99_MS:
                    cells[3] += " ✗"
                    p99_missed.append(
                        f"{mode}, {c} connections, `{route.key}`: p99 {fmt(cr.p99_ms, 2)} ms "
                        f"(> {MAX_P99_MS:g} ms)"
                    )
                ratio = ""
                reference = ceiling.rps if ceiling else 0.0
                if cr and cr.paired_ceiling_rps == cr.paired_ceiling_rps:
                    reference = cr.paired_ceiling_rps
                    cells[1] += f" ({fmt(reference)})"
                if cr and reference:
                    value = cr.rps / reference
                    fast = value >= MIN_CEILING_RATIO or not route.target
                    ratio = f"{value:.2f}" + ("" if fast else " ✗")
                    if not fast:
                        under.append(f"{route.key} {value:.2f}")
                cells.append(ratio)
                cells.append(f"{cr.rps / br.rps:.1f}×" if cr and br and br.rps else "")
                lines.append("| " + " | ".join(cells) + " |")
            if under:
                slow.append(
                    f"{mode}, {c} connections: {len(under)} route(s) under "
                    f"{MIN_CEILING_RATIO}× the ceiling: {', '.join(under)}"
                )
            lines.append("")

    lines.append(
        "p50/p99 in ms; err = non-2xx responses + socket errors; ✗ = target missed; "
        "cinerec/ceiling = cinerec's req/s over the ceiling's /noop at the same concurrency "
        "measured just before it (in parentheses; else the ceiling's own run above); "
        f"† = fewer than 2 requests per connection completed in {args.duration} s, "
        f"so measured again over {extended_duration(args.duration)} s."
    )
    lines.append("")
    cinerec = servers.get("cinerec")
    lines.append(
        "Targets (cinerec, one worker): every course route and v1_recs (not `/healthz`) "
        f"≥ {MIN_CEILING_RATIO}× the ceiling's req/s at the same concurrency; p99 ≤ {MAX_P99_MS:g} ms at {P99_AT_CONNECTIONS} connections; "
        f"ready ≤ {MAX_READY_S:g} s; peak RSS ≤ {MAX_RSS_MB:g} MB; 0 errors (every server)."
    )
    if cinerec:
        ready_ok = cinerec.ready_s <= MAX_READY_S
        rss_ok = cinerec.peak_rss_mb <= MAX_RSS_MB
        lines.append(f"- ready: {cinerec.ready_s:.2f} s, {'met' if ready_ok else 'MISSED'}")
        lines.append(f"- peak RSS: {cinerec.peak_rss_mb:.0f} MB, {'met' if rss_ok else 'MISSED'}")
        tables = len(args.modes) * len(args.connections)
        lines.append(
            f"- throughput ≥ {MIN_CEILING_RATIO}× ceiling: "
            + ("met in every table" if not slow else f"MISSED in {len(slow)} of {tables} tables")
        )
        lines += [f"  - {line}" for line in slow]
        if P99_AT_CONNECTIONS in args.connections:
            lines.append(
                f"- p99 ≤ {MAX_P99_MS:g} ms at {P99_AT_CONNECTIONS} connections: "
                + ("met" if not p99_missed else "MISSED")
            )
            lines += [f"  - {line}" for line in p99_missed]
    failed = [r for r in runs if r.errors]
    lines.append(
        f"- errors: {sum(r.errors for r in runs)} in {len(runs)} runs"
        + (", met" if not failed else ", MISSED")
    )
    lines += [
        f"  - {r.server} {r.mode} c={r.connections} `{r.url}`: {r.error_detail}" for r in failed
    ]
    checks = sum(len(s.check_failures) for s in servers.values())
    lines.append(f"- answer checks before the load: {checks} failed")
    if notes:
        lines.append("")
        lines += [f"- {n}" for n in notes]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, required=True, help="a built cinerec catalogue")
    parser.add_argument("--raw", type=Path, help="raw directory, for the baseline's table")
    parser.add_argument("--baseline-data", type=Path, help="reuse/keep the baseline's table here")
    parser.add_argument("--duration", type=int, default=3, help="seconds per wrk run")
    parser.add_argument("--connections", default="1,8,32")
    parser.add_argument("--only", default=",".join(SERVERS))
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--varied-size", type=int, default=500, help="values per varied pool")
    parser.add_argument("--json", type=Path, help="write every run here")
    parser.add_argument(
        "--unpaired",
        dest="paired",
        action="store_false",
        help="do not measure the ceiling again before each cinerec run",
    )
    args = parser.parse_args()
    args.connections = [int(c) for c in args.connections.split(",")]
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    args.modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if unknown := (set(only) - set(SERVERS)) | (set(args.modes) - set(MODES)):
        raise SystemExit(f"unknown --only/--modes value: {', '.join(sorted(unknown))}")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install -y wrk)")
    if "baseline" in only and args.raw is None and args.baseline_data is None:
        raise SystemExit("the baseline needs --raw (or a prepared --baseline-data)")

    print(f"# bench_load: {' '.join(sys.argv[1:])}", flush=True)
    load_before = os.getloadavg()
    values = pools(args.data, args.varied_size)
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()
    print(
        f"machine: {os.cpu_count()} cores, {platform.machine()}; Python "
        f"{platform.python_version()}; fastapi {version('fastapi')}, uvicorn {version('uvicorn')}"
        f", uvloop {version('uvloop')}, httptools {version('httptools')}, pandas "
        f"{version('pandas')}, scikit-learn {version('scikit-learn')}; "
        f"{' '.join(wrk_version[:2])}"
    )
    print(
        f"wrk -t{args.threads} (-t1 at 1 connection) --latency -d{args.duration}s, "
        f"connections {args.connections}, on 127.0.0.1; one worker per server"
    )
    print(
        f"varied pools: {len(values['titles'])} titles (and their ids), "
        f"{len(values['actors'])} actors, {len(values['directors'])} directors, 12 months, "
        "7 weekdays"
    )
    notes: list[str] = []
    servers: dict[str, ServerInfo] = {}
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        work = Path(tmp)
        baseline_data = args.baseline_data or work / "baseline"
        if "baseline" in only:
            print(f"  preparing the baseline's table in {baseline_data}", file=sys.stderr)
            notes.append(prepare_baseline(args.raw, baseline_data))
        args.paired = args.paired and {"ceiling", "cinerec"} <= set(only)
        ceiling: tuple[str, subprocess.Popen[bytes]] | None = None
        try:
            for name in SERVERS:
                if name not in only:
                    continue
                port = free_port()
                info = ServerInfo(name, command_for(name, args.data, baseline_data, port))
                servers[name] = info
                base = f"http://127.0.0.1:{port}"
                pair = (ceiling[0], ceiling[1].pid) if ceiling and name == "cinerec" else None
                kept = bench_server(info, base, values, args, work, runs, pair)
                if kept is not None:
                    ceiling = (base, kept)
                if name == "cinerec" and ceiling:
                    stop(ceiling[1])
                    ceiling = None
        finally:
            if ceiling:
                stop(ceiling[1])
    if "baseline" in servers:
        import pyarrow.parquet as pq

        n = pq.read_metadata(table_dir(args.data) / "movies.parquet").num_rows
        notes.append(
            f"the usual recommender precomputes cosine_similarity(tfidf, tfidf): for {n:,} "
            f"movies a dense {n:,}×{n:,} float64 matrix = {n * n * 8 / 1e9:.1f} GB, which "
            "cannot be held; the baseline computes one row per request instead"
        )
    print()
    notes.append(
        "load average (1/5/15 min) at start {:.2f} {:.2f} {:.2f}, at end {:.2f} {:.2f} {:.2f} "
        "(the machine's other work competes with the servers and wrk)".format(
            *load_before, *os.getloadavg()
        )
    )
    print("\n".join(report(servers, runs, args, notes)))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "args": {k: str(v) for k, v in vars(args).items()},
                    "servers": [asdict(s) for s in servers.values()],
                    "runs": [asdict(r) for r in runs],
                    "notes": notes,
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
