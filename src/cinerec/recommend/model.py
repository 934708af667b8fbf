"""Training (build time) and serving (lookup + filter + re-rank) of the neighbour model.

The estimator contract of scikit-learn: parameters stored as given, `fit` writes learned
state to attributes ending in `_`, `save`/`load` move that state to an artifact directory.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from cinerec.catalog.arrays import load_array, save_array
from cinerec.progress import Progress, SilentProgress

MODEL_MANIFEST = "model.json"


@dataclass
class NeighbourModelParams:
    k: int = 50
    min_votes_quantile: float = 0.80  # m of the weighted rating
    quality_weight: float = 0.25  # share of the final score that comes from the weighted rating
    chunk: int = 512
    seed: int = 42
    weights: dict[str, float] = field(default_factory=dict)


def weighted_rating(
    vote_average: np.ndarray[Any, Any], vote_count: np.ndarray[Any, Any], m: float
) -> np.ndarray[Any, Any]:
    """IMDB's formula: v/(v+m)·R + m/(v+m)·C, so a 9.0 from 3 votes does not beat 8.3 from 20k."""
    r = np.nan_to_num(np.asarray(vote_average, np.float64), nan=0.0)
    v = np.asarray(vote_count, np.float64)
    voted = v > 0
    c = float(np.average(r[voted], weights=v[voted])) if voted.any() else 0.0
    return np.asarray((v / (v + m)) * r + (m / (v + m)) * c if m > 0 else r, np.float64)


class NeighbourModel:
    """Each movie's top-K most similar movies by content, precomputed."""

    def __init__(self, params: NeighbourModelParams | None = None) -> None:
        self.params = params or NeighbourModelParams()

    def fit(self, build_dir: Path, progress: Progress | None = None) -> NeighbourModel:
        from cinerec.recommend.features import build_features

        started = time.perf_counter()
        progress = progress or SilentProgress()
        features = build_features(build_dir, self.params.weights)
        sparse, dense = features.sparse, features.dense
        n = sparse.shape[0]
        k = min(self.params.k, max(n - 1, 1))
        sq = np.asarray(sparse.multiply(sparse).sum(axis=1)).ravel() + (dense * dense).sum(axis=1)
        norms = np.sqrt(np.maximum(sq, 1e-12)).astype(np.float32)
        sparse_t = sparse.T.tocsr()
        dense_t = np.ascontiguousarray(dense.T)
        neighbours = np.zeros((n, k), dtype=np.int32)
        scores = np.zeros((n, k), dtype=np.float32)
        chunk = self.params.chunk
        steps = max(1, (n + chunk - 1) // chunk)
        progress.start(steps, "computing neighbours")
        try:
            for start in range(0, n, chunk):
                stop = min(n, start + chunk)
                block = (sparse[start:stop] @ sparse_t).toarray()
                block += dense[start:stop] @ dense_t
                block /= norms[start:stop, None]
                block /= norms[None, :]
                block[np.arange(stop - start), np.arange(start, stop)] = -np.inf
                top = (
                    np.argpartition(-block, k - 1, axis=1)[:, :k]
                    if k < n
                    else np.argsort(-block, axis=1)[:, :k]
                )
                top_scores = np.take_along_axis(block, top, axis=1)
                order = np.argsort(-top_scores, axis=1, kind="stable")
                neighbours[start:stop] = np.take_along_axis(top, order, axis=1)
                scores[start:stop] = np.take_along_axis(top_scores, order, axis=1)
                progress.advance("computing neighbours")
        finally:
            progress.finish()
        import pyarrow.parquet as pq

        from cinerec.store import TABLES

        votes = pq.read_table(
            build_dir / TABLES / "movies.parquet", columns=["vote_average", "vote_count"]
        )
        count = np.nan_to_num(
            np.asarray(votes.column("vote_count").to_numpy(zero_copy_only=False), np.float64)
        )
        average = np.asarray(
            votes.column("vote_average").to_numpy(zero_copy_only=False), np.float64
        )
        m = (
            float(np.quantile(count[count > 0], self.params.min_votes_quantile))
            if (count > 0).any()
            else 0.0
        )
        self.ids_ = features.ids
        self.neighbours_ = neighbours
        self.scores_ = np.nan_to_num(scores, neginf=0.0)
        self.weighted_rating_ = weighted_rating(average, count, m).astype(np.float32)
        self.min_votes_ = m
        self.fit_seconds_ = time.perf_counter() - started
        return self

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        save_array(directory, "ids", self.ids_)
        save_array(directory, "neighbours", self.neighbours_)
        save_array(directory, "scores", self.scores_)
        save_array(directory, "weighted_rating", self.weighted_rating_)
        manifest = {
            "model": "content-neighbours",
            "params": asdict(self.params),
            "min_votes": self.min_votes_,
            "fit_seconds": round(self.fit_seconds_, 3),
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        (directory / MODEL_MANIFEST).write_text(json.dumps(manifest, indent=2), "utf-8")


@dataclass(frozen=True)
class Neighbour:
    row: int
    score: float
    similarity: float


class NeighbourIndex:
    """The served model: memory-mapped neighbour lists, re-ranked by similarity and quality."""

    def __init__(self, directory: Path) -> None:
        self.manifest: dict[str, Any] = json.loads((directory / MODEL_MANIFEST).read_text("utf-8"))
        self.quality_weight = float(self.manifest["params"]["quality_weight"])
        self.neighbours = load_array(directory, "neighbours")
        self.scores = load_array(directory, "scores")
        wr = np.asarray(load_array(directory, "weighted_rating"), np.float32)
        low, high = (float(wr.min()), float(wr.max())) if len(wr) else (0.0, 1.0)
        self.quality = (wr - low) / (high - low) if high > low else np.zeros_like(wr)
        self.weighted_rating = wr

    def similar(self, row: int, limit: int, allowed: Any = None) -> list[Neighbour]:
        """The best `limit` neighbours of `row`; `allowed(rows) -> mask` filters candidates."""
        rows = np.asarray(self.neighbours[row], dtype=np.int64)
        sims = np.asarray(self.scores[row], dtype=np.float32)
        keep = sims > 0
        if allowed is not None:
            keep &= allowed(rows)
        rows, sims = rows[keep], sims[keep]
        top = sims.max() if len(sims) else 1.0
        final = (1 - self.quality_weight) * (sims / top) + self.quality_weight * self.quality[rows]
        order = np.argsort(-final, kind="stable")[:limit]
        return [Neighbour(int(rows[i]), float(final[i]), float(sims[i])) for i in order]
