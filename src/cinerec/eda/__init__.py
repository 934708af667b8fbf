"""Reproducible exploratory data analysis of a built catalogue (one self-contained HTML)."""

from __future__ import annotations

import time
from pathlib import Path


def run_eda(data: Path, out: Path) -> None:
    """Build the EDA report of the catalogue in `data` into `out` and print one summary line."""
    from cinerec.eda.report import build_report

    start = time.perf_counter()
    summary = build_report(data, out)
    seconds = time.perf_counter() - start
    size_kb = out.stat().st_size / 1024
    print(
        f"EDA report: {out} ({size_kb:.0f} KiB, {summary.movies} movies, "
        f"{summary.rows_read} rows read, {sum(summary.dropped.values())} dropped) in {seconds:.1f}s"
    )


__all__ = ["run_eda"]
