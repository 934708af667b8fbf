"""Item–item collaborative similarity from who liked what, as top-K neighbour lists, and for
any pair of items (`LikedTogether`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from cinerec.recommend.neighbours import top_k_rows

IntArray = np.ndarray[Any, np.dtype[np.int64]]


def interaction_matrix(
    users: IntArray,
    items: IntArray,
    ratings: np.ndarray[Any, Any],
    n_items: int,
    like_threshold: float,
    disliked_weight: float,
) -> sp.csr_matrix:
    """Users × items: 1 for a liked movie, `disliked_weight` for one rated below the threshold.

    Rating a movie at all says something about taste (people rate what they chose to watch),
    so low ratings still count, a little.
    """
    _, user_rows = np.unique(users, return_inverse=True)
    values = np.where(ratings >= like_threshold, 1.0, disliked_weight).astype(np.float32)
    keep = values > 0
    m = sp.csr_matrix(
        (values[keep], (user_rows[keep], items[keep])),
        shape=(int(user_rows.max()) + 1 if len(user_rows) else 0, n_items),
        dtype=np.float32,
    )
    m.sum_duplicates()
    return m


def rating_matrix(
    users: IntArray, items: IntArray, ratings: np.ndarray[Any, Any], n_items: int
) -> sp.csr_matrix:
    """Users × items: the rating given (one per pair, the first), in `interaction_matrix`'s
    rows for the same users."""
    _, user_rows = np.unique(users, return_inverse=True)
    _, first = np.unique(user_rows.astype(np.int64) * n_items + items, return_index=True)
    return sp.csr_matrix(
        (np.asarray(ratings, np.float32)[first], (user_rows[first], items[first])),
        shape=(int(user_rows.max()) + 1 if len(user_rows) else 0, n_items),
        dtype=np.float32,
    )


def most_recent(users: IntArray, timestamps: np.ndarray[Any, Any] | None, limit: int) -> Any:
    """Mask of each user's `limit` most recent ratings (ties and undated ones by position):
    heavy users' histories capped as RP3beta caps them, so the co-rated pairs stay bounded."""
    users = np.asarray(users, np.int64)
    stamps = (
        np.zeros(len(users))
        if timestamps is None
        else np.nan_to_num(np.asarray(timestamps, np.float64), nan=0.0)
    )
    order = np.lexsort((np.arange(len(users)), -stamps, users))
    sorted_users = users[order]
    starts = np.flatnonzero(np.r_[True, sorted_users[1:] != sorted_users[:-1]])
    rank = np.arange(len(users)) - np.repeat(starts, np.diff(np.r_[starts, len(users)]))
    keep = np.zeros(len(users), bool)
    keep[order[rank < limit]] = True
    return keep


def item_neighbours(
    interactions: sp.csr_matrix, k: int, shrink: float, chunk: int = 1024
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Each item's k most similar items by shrunk cosine; rows of items without data are -1."""
    n_items = interactions.shape[1]
    neighbours = np.full((n_items, k), -1, dtype=np.int32)
    scores = np.zeros((n_items, k), dtype=np.float32)
    counts = np.asarray((interactions > 0).sum(axis=0)).ravel()
    active = np.flatnonzero(counts > 0)
    if len(active) < 2:
        return neighbours, scores
    x = sp.csr_matrix(interactions[:, active])
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=0)).ravel()).astype(np.float32)
    xt = sp.csr_matrix(x.T)
    kk = min(k, len(active) - 1)

    def similarities(start: int, stop: int) -> np.ndarray[Any, Any]:
        block = np.asarray((xt[start:stop] @ x).toarray(), dtype=np.float32)
        block /= norms[start:stop, None] * norms[None, :] + shrink
        return block

    local_rows, local_scores = top_k_rows(similarities, len(active), kk, chunk)
    neighbours[active, :kk] = np.where(local_rows >= 0, active[np.maximum(local_rows, 0)], -1)
    scores[active, :kk] = local_scores
    return neighbours, scores


@dataclass
class LikedTogether:
    """Who liked both films of any (a, b) pair, not only the top k of a's list: among a famous
    film's candidates of the same kind, which ones its viewers liked too, where its list's
    top k are the films everyone rated. Three readings of the same overlap: the shrunk cosine
    of `item_neighbours`; the share of a's viewers who liked b (what a viewer of a will like
    next, the famous films included); and the lift (how much likelier b's viewers are among
    a's than among everyone), which discounts the films everyone likes. A fourth, with the
    `ratings`: how much better a's fans rate b than everyone does — the famous film they
    watch as everyone does and rate as everyone does gains nothing from it."""

    interactions: sp.csr_matrix  # users × items, as `item_neighbours` reads it
    shrink: float
    lift_prior: float = 10.0  # viewers of a at b's overall rate added to a's own
    # users × items, the rating given (0: unrated), the same users' rows as `interactions`;
    # None: no rating gap (0)
    ratings: sp.csr_matrix | None = None
    rating_prior: float = 5.0  # ratings at b's mean added to what a's fans gave it
    chunk: int = 200_000
    _items: sp.csr_matrix = field(init=False, repr=False)
    _norms: np.ndarray[Any, Any] = field(init=False, repr=False)
    _mass: np.ndarray[Any, Any] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._items = sp.csr_matrix(self.interactions.T, dtype=np.float32)
        squares = self._items.multiply(self._items).sum(axis=1)
        self._norms = np.sqrt(np.asarray(squares).ravel()).astype(np.float32)
        self._mass = np.asarray(self._items.sum(axis=1)).ravel().astype(np.float32)
        self._fans = sp.csr_matrix(self._items >= 1.0, dtype=np.float32)  # liked, not just rated
        given = sp.csr_matrix(self.ratings.T if self.ratings is not None else self._items.shape)
        self._given = sp.csr_matrix(given, dtype=np.float32)
        self._rated = sp.csr_matrix(self._given > 0, dtype=np.float32)
        total = np.asarray(self._given.sum(axis=1)).ravel()
        count = np.asarray(self._rated.sum(axis=1)).ravel()
        overall = total.sum() / max(count.sum(), 1.0)
        prior = self.rating_prior
        self._mean_rating = ((total + prior * overall) / (count + prior)).astype(np.float32)

    def __call__(self, a: IntArray, b: IntArray) -> tuple[np.ndarray[Any, Any], ...]:
        """(cosine, log lift, P(b | a), rating gap) of each pair; all 0 when either film is
        unrated or a == b.

        P(b | a), the share of a's viewers who liked b, is shrunk toward b's overall rate P(b)
        by `lift_prior` viewers, so a pair of rarely rated films needs more than one shared
        viewer to stand out; the lift is P(b | a) / P(b). The rating gap is the mean rating a's
        fans gave b, shrunk toward b's mean by `rating_prior` ratings, less b's mean (itself
        shrunk toward the overall mean)."""
        a, b = np.asarray(a, np.int64), np.asarray(b, np.int64)
        cosine = np.zeros(len(a), np.float32)
        lift = np.zeros(len(a), np.float32)
        given = np.zeros(len(a), np.float32)
        gap = np.zeros(len(a), np.float32)
        rated = self._norms > 0
        both = np.flatnonzero(rated[a] & rated[b] & (a != b))
        users = max(self._items.shape[1], 1)
        for start in range(0, len(both), self.chunk):  # bounded memory: a chunk of pairs
            at = both[start : start + self.chunk]
            dot = np.asarray(self._items[a[at]].multiply(self._items[b[at]]).sum(axis=1)).ravel()
            cosine[at] = dot / (self._norms[a[at]] * self._norms[b[at]] + self.shrink)
            base = self._mass[b[at]] / users
            given[at] = (dot + self.lift_prior * base) / (self._mass[a[at]] + self.lift_prior)
            lift[at] = np.log(given[at] / base)
            fans = self._fans[a[at]]
            total = np.asarray(fans.multiply(self._given[b[at]]).sum(axis=1)).ravel()
            count = np.asarray(fans.multiply(self._rated[b[at]]).sum(axis=1)).ravel()
            mean = self._mean_rating[b[at]]
            gap[at] = (total + self.rating_prior * mean) / (count + self.rating_prior) - mean
        return cosine, lift, given, gap
