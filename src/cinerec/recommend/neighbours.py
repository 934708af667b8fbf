"""Top-K rows of a similarity matrix that is never materialized whole."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from cinerec.progress import Progress, SilentProgress

Block = Callable[[int, int], np.ndarray[Any, Any]]


def top_k_rows(
    similarities: Block,
    n: int,
    k: int,
    chunk: int,
    progress: Progress | None = None,
    description: str = "neighbours",
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """For rows start:stop, `similarities` returns their dense block against all n columns.

    Only `chunk` rows are dense at a time, so memory is chunk × n, never n × n. The diagonal
    (an item with itself) is excluded; non-positive similarities become -1 / 0.
    """
    progress = progress or SilentProgress()
    k = max(0, min(k, n - 1))
    rows = np.full((n, k), -1, dtype=np.int32)
    scores = np.zeros((n, k), dtype=np.float32)
    if k == 0:
        return rows, scores
    progress.start(max(1, -(-n // chunk)), description)
    try:
        for start in range(0, n, chunk):
            stop = min(n, start + chunk)
            block = similarities(start, stop)
            block[np.arange(stop - start), np.arange(start, stop)] = -np.inf
            top = np.argpartition(-block, k - 1, axis=1)[:, :k]
            top_scores = np.take_along_axis(block, top, axis=1)
            order = np.argsort(-top_scores, axis=1, kind="stable")
            top = np.take_along_axis(top, order, axis=1)
            top_scores = np.take_along_axis(top_scores, order, axis=1)
            positive = top_scores > 0
            rows[start:stop] = np.where(positive, top, -1)
            scores[start:stop] = np.where(positive, top_scores, 0.0)
            progress.advance(description)
    finally:
        progress.finish()
    return rows, scores
