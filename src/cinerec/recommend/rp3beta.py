"""RP3beta item–item neighbours (Paudel et al. 2017; Ferrari Dacrema et al., RecSys 2019).

The specification both engines implement (this module with NumPy/SciPy, `spark_engine` with
Spark DataFrames); a parity test holds them to the same lists:

1. One interaction per (user, item): the latest rating (largest timestamp; a missing
   timestamp counts as 0; equal timestamps: the higher rating).
2. Its weight w_ui = 1 if rating ≥ `like_threshold`, else `disliked_weight`; interactions
   whose weight is not positive are dropped.
3. Heavy users: a user with more than `max_user_items` interactions keeps only the
   `max_user_items` most recent (timestamp descending, then item ascending). This bounds the
   self-join on users, which grows with the square of a user's history, the way large
   systems do it; what a heavy rater says about taste is mostly in their recent ratings.
4. Items with fewer than `min_item_users` users (after step 3) are dropped.
5. P_ui = w_ui / Σ_j w_uj (user → item), P_iu = w_ui / Σ_v w_vi (item → user);
   W_ij = Σ_u P_iu^α · P_uj^α for i ≠ j, then W_ij /= pop_j^β with pop_j the number of users
   with an interaction on j (β > 0 lowers popular items).
6. Per item i the top `k` items j by W_ij descending, ties by j ascending; scores float32.
   Items without interactions (or neighbours) get -1 rows and 0 scores.

Arithmetic is float64 until the final scores; nothing n_items × n_items is ever dense: the
product is computed for `chunk` items at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from cinerec.progress import Progress, SilentProgress

Array = np.ndarray[Any, Any]


@dataclass(frozen=True)
class Rp3betaParams:
    """Every knob of RP3beta; recorded in the model manifest."""

    k: int = 50
    alpha: float = 1.0
    beta: float = 0.5
    like_threshold: float = 4.0
    disliked_weight: float = 0.3
    max_user_items: int = 1000
    min_item_users: int = 1
    chunk: int = 256  # items per dense block of the local engine (memory: chunk × n_items)


@dataclass(frozen=True)
class Interactions:
    """The interactions left after steps 1–4, with their transition probabilities."""

    users: Array  # int64, dense user index 0..n_users-1
    items: Array  # int64, catalogue rows
    item_to_user: Array  # P_iu^α
    user_to_item: Array  # P_uj^α / pop_j^β
    n_users: int


def prepare_interactions(
    users: Array,
    items: Array,
    ratings: Array,
    timestamps: Array | None,
    n_items: int,
    params: Rp3betaParams,
) -> Interactions:
    """Steps 1–5 of the module docstring, as arrays of one entry per kept interaction."""
    users = np.asarray(users, np.int64)
    items = np.asarray(items, np.int64)
    ratings = np.asarray(ratings, np.float64)
    ts = (
        np.zeros(len(users), np.int64)
        if timestamps is None
        else np.asarray(np.nan_to_num(np.asarray(timestamps, np.float64), nan=0.0), np.int64)
    )
    # 1. the latest rating of each (user, item)
    order = np.lexsort((-ratings, -ts, items, users))
    users, items, ratings, ts = users[order], items[order], ratings[order], ts[order]
    first = np.ones(len(users), bool)
    first[1:] = (users[1:] != users[:-1]) | (items[1:] != items[:-1])
    users, items, ratings, ts = users[first], items[first], ratings[first], ts[first]
    # 2. weights
    weights = np.where(ratings >= params.like_threshold, 1.0, params.disliked_weight)
    keep = weights > 0
    users, items, weights, ts = users[keep], items[keep], weights[keep], ts[keep]
    # 3. a heavy user's most recent max_user_items
    order = np.lexsort((items, -ts, users))
    users, items, weights = users[order], items[order], weights[order]
    starts = np.flatnonzero(np.r_[True, users[1:] != users[:-1]]) if len(users) else np.zeros(0)
    rank = np.arange(len(users)) - np.repeat(starts, np.diff(np.r_[starts, len(users)]))
    keep = rank < params.max_user_items
    users, items, weights = users[keep], items[keep], weights[keep]
    # 4. items with too few users
    pop = np.bincount(items, minlength=n_items)
    keep = pop[items] >= params.min_item_users
    users, items, weights = users[keep], items[keep], weights[keep]
    pop = np.bincount(items, minlength=n_items).astype(np.float64)
    # 5. transition probabilities
    _, user_index = np.unique(users, return_inverse=True)
    n_users = int(user_index.max()) + 1 if len(user_index) else 0
    user_sum = np.bincount(user_index, weights=weights, minlength=n_users)
    item_sum = np.bincount(items, weights=weights, minlength=n_items)
    item_to_user = (weights / item_sum[items]) ** params.alpha
    user_to_item = (weights / user_sum[user_index]) ** params.alpha / pop[items] ** params.beta
    return Interactions(user_index.astype(np.int64), items, item_to_user, user_to_item, n_users)


def top_k_tied(block: Array, k: int) -> tuple[Array, Array]:
    """Each row's k largest positive entries, by value descending then column ascending.

    Exact on ties: every entry equal to a row's k-th value is a candidate, and the
    candidates are sorted by (value desc, column asc). Rows with fewer than k positive
    entries are padded with -1 / 0.
    """
    m, n = block.shape
    rows = np.full((m, k), -1, np.int32)
    scores = np.zeros((m, k), np.float64)
    if k == 0 or m == 0 or n == 0:
        return rows, scores
    kk = min(k, n)
    kth = -np.partition(-block, kk - 1, axis=1)[:, kk - 1]
    threshold = np.maximum(kth, np.finfo(np.float64).tiny)
    r, c = np.nonzero(block >= threshold[:, None])
    v = block[r, c]
    order = np.lexsort((c, -v, r))
    r, c, v = r[order], c[order], v[order]
    starts = np.searchsorted(r, np.arange(m))
    position = np.arange(len(r)) - starts[r]
    keep = position < k
    rows[r[keep], position[keep]] = c[keep]
    scores[r[keep], position[keep]] = v[keep]
    return rows, scores


def rp3beta_neighbours(
    users: Array,
    items: Array,
    ratings: Array,
    timestamps: Array | None,
    n_items: int,
    params: Rp3betaParams | None = None,
    progress: Progress | None = None,
    only: Array | None = None,
) -> tuple[Array, Array]:
    """RP3beta top-k lists: rows int32 (n_items, k) -1 padded, scores float32 (n_items, k).

    `items` are catalogue rows (0..n_items-1); `users` any integer ids. With `only`, just
    those items' lists are walked (the others stay empty): the blend's folds of validation
    users need the lists of their query movies alone.
    """
    params = params or Rp3betaParams()
    progress = progress or SilentProgress()
    k = params.k
    out_rows = np.full((n_items, k), -1, np.int32)
    out_scores = np.zeros((n_items, k), np.float32)
    x = prepare_interactions(users, items, ratings, timestamps, n_items, params)
    if len(x.items) == 0:
        return out_rows, out_scores
    import scipy.sparse as sp  # here: serving imports this module for its params only

    item_user = sp.csr_matrix(
        (x.item_to_user, (x.items, x.users)), shape=(n_items, x.n_users), dtype=np.float64
    )
    user_item = sp.csr_matrix(
        (x.user_to_item, (x.users, x.items)), shape=(x.n_users, n_items), dtype=np.float64
    )
    active = np.flatnonzero(np.diff(item_user.indptr) > 0)
    if only is not None:
        active = np.intersect1d(active, np.asarray(only, np.int64))
    chunk = max(1, params.chunk)
    progress.start(max(1, -(-len(active) // chunk)), "RP3beta neighbours")
    try:
        for start in range(0, len(active), chunk):
            part = active[start : start + chunk]
            block = np.asarray((item_user[part] @ user_item).toarray(), np.float64)
            block[np.arange(len(part)), part] = 0.0  # i ≠ j
            rows, scores = top_k_tied(block, k)
            out_rows[part] = rows
            out_scores[part] = scores.astype(np.float32)
            progress.advance("RP3beta neighbours")
    finally:
        progress.finish()
    return out_rows, out_scores
