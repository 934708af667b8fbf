"""RP3beta training: the local engine vs Spark, wall time and peak memory as the ratings grow.

    python benchmarks/bench_collaborative.py --catalog CATALOG \\
        --scales 0.25,0.5,1,2,4 --engines local,spark --master 'local[2]' --json OUT.json

CATALOG is a catalogue (or one of its builds) made by `cinerec etl` or `cinerec build`; its
`tables/ratings.parquet` is the 1x input. A scale below 1 keeps that share of the users
(whole histories, chosen by a hash of the user id); a scale k above 1 repeats every user's
history k times under new user ids (k times the rows and the users; RP3beta's lists stay
the same, the work and the data grow k-fold). Each run is a child process (`--child`);
the parent samples the resident memory of the child and of its descendants (Spark's JVM in
local mode: driver and executors are that one process) every 0.2 s and reports the peaks.
Needs the `spark` install extra for the Spark engine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

MB = 1 << 20


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                kids = [int(x) for x in fh.read().split()]
        except OSError:
            continue
        for kid in kids:
            found += [kid, *_children(kid)]
    return found


def _command(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().split(b"\0")[0].decode(errors="replace")
    except OSError:
        return ""


def measure(argv: list[str]) -> dict[str, Any]:
    """Run argv; wall time and the peak RSS of the process, of Java descendants, and of
    the whole tree (sampled together)."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak_main = peak_java = peak_total = 0
    while child.poll() is None:
        main = _rss(child.pid)
        java = sum(_rss(p) for p in _children(child.pid) if _command(p).endswith("java"))
        others = sum(_rss(p) for p in _children(child.pid))
        peak_main, peak_java = max(peak_main, main), max(peak_java, java)
        peak_total = max(peak_total, main + others)
        time.sleep(0.2)
    out, err = child.communicate()
    wall = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {err.strip().splitlines()[-1:]}")
    result = json.loads(out.strip().splitlines()[-1])
    return {
        "wall_s": round(wall, 1),
        "python_peak_mb": round(peak_main / MB),
        "jvm_peak_mb": round(peak_java / MB),
        "total_peak_mb": round(peak_total / MB),
        **result,
    }


def scaled_tables(catalog: Path, scale: float, work: Path) -> Path:
    """A tables directory with movies.parquet and the scaled ratings.parquet."""
    import duckdb

    from cinerec.store import TABLES, resolve_build_dir

    source = resolve_build_dir(catalog) / TABLES
    out = work / f"x{scale:g}" / TABLES
    if (out / "ratings.parquet").exists():
        return out
    out.mkdir(parents=True, exist_ok=True)
    (out / "movies.parquet").symlink_to(source / "movies.parquet")
    ratings = f"read_parquet('{source / 'ratings.parquet'}')"
    if scale <= 1:
        query = f"SELECT * FROM {ratings} WHERE hash(user_id) % 1000000 < {round(scale * 1e6)}"
    else:
        copies = int(scale)
        assert copies == scale, "scales above 1 are whole numbers"
        query = f"""SELECT user_id + c * (SELECT max(user_id) + 1 FROM {ratings}) AS user_id,
                           movie_id, rating, "timestamp"
                    FROM {ratings}, range({copies}) t(c)"""
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    con.execute(f"COPY ({query}) TO '{out / 'ratings.parquet'}' (FORMAT PARQUET)")
    con.close()
    return out


def child(engine: str, tables: Path, master: str, memory: str) -> None:
    """One training run; prints its own timings as JSON on the last line."""
    import numpy as np
    import pyarrow.parquet as pq

    from cinerec.recommend.rp3beta import Rp3betaParams, rp3beta_neighbours

    params = Rp3betaParams()
    ids = np.asarray(pq.read_table(tables / "movies.parquet", columns=["id"]).column(0), np.int64)
    started = time.perf_counter()
    if engine == "local":
        table = pq.read_table(tables / "ratings.parquet")
        movie = np.asarray(table.column("movie_id"), np.int64)
        rows = np.searchsorted(ids, movie).clip(0, len(ids) - 1)
        ok = ids[rows] == movie
        lists = rp3beta_neighbours(
            np.asarray(table.column("user_id"), np.int64)[ok],
            rows[ok],
            np.asarray(table.column("rating"), np.float64)[ok],
            np.asarray(table.column("timestamp").fill_null(0), np.int64)[ok],
            len(ids),
            params,
        )
        ratings = table.num_rows
    else:
        from cinerec.recommend.spark_engine import spark_rp3beta_neighbours

        conf = {"spark.driver.memory": memory, "spark.sql.shuffle.partitions": "16"}
        lists = spark_rp3beta_neighbours(str(tables), len(ids), params, master, conf)
        ratings = pq.ParquetFile(tables / "ratings.parquet").metadata.num_rows
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "ratings": ratings,
                "train_s": round(seconds, 1),
                "movies_with_neighbours": int((lists[0][:, 0] >= 0).sum()),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalog", type=Path)
    parser.add_argument("--scales", default="0.25,0.5,1")
    parser.add_argument("--engines", default="local,spark")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--driver-memory", default="2g", help="Spark's JVM heap (local mode)")
    parser.add_argument("--work", type=Path, help="where the scaled tables go (default: temp)")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "TABLES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), args.master, args.driver_memory)
        return
    if args.catalog is None:
        parser.error("--catalog is required")
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-collaborative-"))
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python"
        f" {platform.python_version()}; Spark master {args.master}, driver memory"
        f" {args.driver_memory}"
    )
    print(
        "| scale | ratings | engine | wall | train | peak RSS python | peak RSS JVM | peak total |"
    )
    print("|---|---|---|---|---|---|---|---|")
    runs = []
    for scale in [float(s) for s in args.scales.split(",")]:
        tables = scaled_tables(args.catalog, scale, work)
        for engine in args.engines.split(","):
            argv = [sys.executable, __file__, "--child", engine, str(tables)]
            argv += ["--master", args.master, "--driver-memory", args.driver_memory]
            r = {"scale": scale, "engine": engine, **measure(argv)}
            runs.append(r)
            print(
                f"| {scale:g}x | {r['ratings']:,} | {engine} | {r['wall_s']} s | {r['train_s']} s"
                f" | {r['python_peak_mb']} MB | {r['jvm_peak_mb'] or '-'} MB"
                f" | {r['total_peak_mb']} MB |",
                flush=True,
            )
    if args.json:
        args.json.write_text(json.dumps(runs, indent=2))


if __name__ == "__main__":
    main()
