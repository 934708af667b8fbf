"""Ratings for the RP3beta tests: a seeded synthetic set with heavy users and ties, a
brute-force reference straight from the specification, and a comparison up to ties."""

from __future__ import annotations

import collections
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from cinerec.recommend.rp3beta import Rp3betaParams

Array = np.ndarray[Any, Any]


def synthetic_ratings(seed: int = 0) -> tuple[Array, Array, Array, Array, int]:
    """(users, items, ratings, timestamps, n_items): popular items rated most, three heavy
    users above a cap of 40, repeated (user, item) pairs, equal timestamps, and a block of
    users with identical histories (so neighbour scores tie exactly)."""
    rng = np.random.default_rng(seed)
    n_items = 120
    popularity = 1.0 / np.arange(1, n_items + 1) ** 0.9
    popularity /= popularity.sum()
    users, items = [], []
    for user in range(300):
        count = 150 if user < 3 else int(rng.integers(2, 25))  # heavy: 150 > the cap
        users += [user] * count
        items += rng.choice(n_items, count, p=popularity).tolist()  # with repeats
    for user in range(300, 306):  # identical histories of items 100..103
        users += [user] * 4
        items += [100, 101, 102, 103]
    ratings = rng.choice([1.0, 2.0, 3.0, 3.5, 4.0, 4.5, 5.0], len(users))
    timestamps = rng.integers(0, 60, len(users))  # few distinct values: many equal times
    ratings[-24:] = 5.0
    timestamps[-24:] = 7
    return np.array(users), np.array(items), ratings, timestamps, n_items


SYNTHETIC_PARAMS = Rp3betaParams(k=12, max_user_items=40, min_item_users=2)


def reference(
    users: Array, items: Array, ratings: Array, timestamps: Array, n: int, p: Rp3betaParams
) -> tuple[Array, Array]:
    """The specification, one step per line, in plain Python and a dense matrix."""
    latest: dict[tuple[int, int], tuple[int, float]] = {}
    for u, i, r, t in zip(
        users.tolist(), items.tolist(), ratings.tolist(), timestamps.tolist(), strict=True
    ):
        if (u, i) not in latest or (t, r) > latest[(u, i)]:
            latest[(u, i)] = (t, r)
    history: dict[int, list[tuple[int, int, float]]] = collections.defaultdict(list)
    for (u, i), (t, r) in latest.items():
        w = 1.0 if r >= p.like_threshold else p.disliked_weight
        if w > 0:
            history[u].append((t, i, w))
    kept = []
    for u, entries in history.items():
        entries.sort(key=lambda e: (-e[0], e[1]))
        kept += [(u, i, w) for _, i, w in entries[: p.max_user_items]]
    count = collections.Counter(i for _, i, _ in kept)
    kept = [e for e in kept if count[e[1]] >= p.min_item_users]
    index = {u: k for k, u in enumerate(sorted({u for u, _, _ in kept}))}
    m = np.zeros((len(index), n))
    for u, i, w in kept:
        m[index[u], i] = w
    pop = (m > 0).sum(axis=0)
    user_item = m / np.maximum(m.sum(axis=1, keepdims=True), 1e-300)
    item_user = (m / np.maximum(m.sum(axis=0, keepdims=True), 1e-300)).T
    w = (item_user**p.alpha) @ (user_item**p.alpha) / np.where(pop > 0, pop, 1) ** p.beta
    rows = np.full((n, p.k), -1, np.int32)
    scores = np.zeros((n, p.k), np.float32)
    for i in range(n):
        ranked = sorted((-w[i, j], j) for j in range(n) if j != i and w[i, j] > 0)[: p.k]
        for r, (v, j) in enumerate(ranked):
            rows[i, r], scores[i, r] = j, -v
    return rows, scores


def assert_same_lists(a: tuple[Array, Array], b: tuple[Array, Array], rtol: float = 1e-5) -> None:
    """Equal neighbour lists up to ties: per item the same scores (to `rtol`, in order) and
    the same neighbours, where neighbours whose scores tie may come in either order. A tie
    straddling the k-th place may keep different members, so that last group of equal
    scores is compared by its scores only."""
    rows_a, scores_a = a
    rows_b, scores_b = b
    assert rows_a.shape == rows_b.shape
    assert ((rows_a >= 0) == (rows_b >= 0)).all(), "different list lengths"
    np.testing.assert_allclose(scores_a, scores_b, rtol=rtol, atol=0)
    for i in np.flatnonzero((rows_a != rows_b).any(axis=1)):
        valid = rows_a[i] >= 0
        sa, ra, rb = scores_a[i][valid], rows_a[i][valid], rows_b[i][valid]
        groups = np.r_[0, np.cumsum(~np.isclose(sa[1:], sa[:-1], rtol=rtol, atol=0))]
        full = bool(valid.all())
        for g in np.unique(groups):
            if full and g == groups[-1]:
                continue  # may straddle the k-th place: its scores are compared above
            assert set(ra[groups == g]) == set(rb[groups == g]), f"item {i}: {ra} vs {rb}"


def write_tables(
    tables: Path, users: Array, items: Array, ratings: Array, ts: Array, n: int
) -> Array:
    """A catalogue's `movies.parquet` and `ratings.parquet` for these ratings; the movie ids
    are sparse and unsorted in the ratings, as TMDB ids are. Returns the ids by row."""
    tables.mkdir(parents=True, exist_ok=True)
    ids = np.arange(n, dtype=np.int64) * 7 + 11
    pq.write_table(
        pa.table({"id": ids, "title": [f"m{i}" for i in range(n)]}), tables / "movies.parquet"
    )
    pq.write_table(
        pa.table(
            {
                "user_id": pa.array(users, pa.int64()),
                "movie_id": pa.array(ids[items], pa.int64()),
                "rating": pa.array(ratings, pa.float64()),
                "timestamp": pa.array(ts, pa.int64()),
            }
        ),
        tables / "ratings.parquet",
    )
    return ids
