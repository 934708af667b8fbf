"""ETL wall time and peak memory: `cinerec etl` in a child process, measured from outside.

    python benchmarks/bench_etl.py RAW_DIR [RAW_DIR ...]

Peak memory is the child's maximum resident set size (getrusage of children), so it counts
DuckDB's and Arrow's native allocations too.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def raw_size(raw: Path) -> int:
    return sum(p.stat().st_size for p in raw.iterdir() if p.is_file())


def run(raw: Path) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        result = subprocess.run(
            [sys.executable, "-m", "cinerec.cli", "etl", "--raw", str(raw), "--out", out],
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - started
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if result.returncode != 0:
        raise SystemExit(f"etl failed on {raw}: {result.stderr.strip().splitlines()[-1]}")
    summary = [line for line in result.stdout.splitlines() if line.startswith("etl:")]
    return {
        "raw": str(raw),
        "input_mb": round(raw_size(raw) / 1e6, 1),
        "wall_s": round(wall, 1),
        "peak_rss_mb": round(max(peak_kb, before) / 1024),
        "summary": summary[-1] if summary else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("raw", nargs="+", type=Path)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print("| input | size on disk | wall | peak RSS | summary |")
    print("|---|---|---|---|---|")
    for raw in args.raw:
        r = run(raw)
        print(
            f"| {r['raw']} | {r['input_mb']} MB | {r['wall_s']} s | {r['peak_rss_mb']} MB | {r['summary']} |"
        )


if __name__ == "__main__":
    main()
