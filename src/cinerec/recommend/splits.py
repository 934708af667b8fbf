"""Who trains and who tests: users split by a seed, and their query movies."""

from __future__ import annotations

from typing import Any

import numpy as np

LIKE = 4.0


def split_users(users: np.ndarray[Any, Any], share: float, seed: int) -> tuple[set[int], set[int]]:
    """(the rest, a seeded `share` of the distinct users)."""
    unique = np.unique(users)
    rng = np.random.default_rng(seed)
    shuffled = rng.permutation(unique)
    n_test = max(1, round(len(unique) * share))
    return set(shuffled[n_test:].tolist()), set(shuffled[:n_test].tolist())


def user_folds(
    users: np.ndarray[Any, Any], share: float, folds: int, seed: int
) -> list[tuple[set[int], set[int]]]:
    """(the rest, a fold) for `folds` disjoint seeded folds of `share` of the distinct users
    each (fewer when the users run out); the first fold is `split_users`' second set."""
    unique = np.unique(users)
    shuffled = np.random.default_rng(seed).permutation(unique)
    size = max(1, round(len(unique) * share))
    out = []
    for k in range(folds):
        fold = set(shuffled[k * size : (k + 1) * size].tolist())
        if not fold:
            break
        out.append((set(shuffled.tolist()) - fold, fold))
    return out


def make_queries(
    ratings: Any, users: set[int], per_user: int, seed: int
) -> list[tuple[int, int, frozenset[int]]]:
    """(user, query row, relevant rows) for each evaluation user with >= 2 liked movies:
    `ratings` has parallel `users`, `rows` (catalogue rows) and `values` arrays."""
    rng = np.random.default_rng(seed)
    liked = ratings.values >= LIKE
    queries = []
    mask = np.isin(ratings.users, np.fromiter(users, np.int64, len(users))) & liked
    by_user: dict[int, list[int]] = {}
    for user, row in zip(ratings.users[mask].tolist(), ratings.rows[mask].tolist(), strict=True):
        by_user.setdefault(user, []).append(row)
    for user in sorted(by_user):
        rows = sorted(set(by_user[user]))
        if len(rows) < 2:
            continue
        chosen = rng.choice(rows, size=min(per_user, len(rows) - 1), replace=False)
        for query in chosen.tolist():
            queries.append((user, int(query), frozenset(r for r in rows if r != query)))
    return queries


def user_profiles(
    queries: list[tuple[int, int, frozenset[int]]],
) -> list[tuple[int, tuple[int, ...], frozenset[int]]]:
    """(user, query rows, relevant rows) for each user of `make_queries` with >= 2 query
    movies: all of them as one taste profile, their other likes relevant."""
    by_user: dict[int, list[tuple[int, frozenset[int]]]] = {}
    for user, query, relevant in queries:
        by_user.setdefault(user, []).append((query, relevant))
    profiles = []
    for user, picked in by_user.items():
        if len(picked) < 2:
            continue
        rows = tuple(q for q, _ in picked)
        relevant = frozenset.intersection(*(r for _, r in picked)) - set(rows)
        if relevant:
            profiles.append((user, rows, relevant))
    return profiles
