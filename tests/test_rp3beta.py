"""RP3beta, the local engine: a case small enough to check by hand, the specification's
brute-force reference on a seeded set with heavy users and ties, and the model's switch."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from cinerec.recommend.model import HybridRecommender, RecommenderIndex, RecommenderParams
from cinerec.recommend.rp3beta import Rp3betaParams, rp3beta_neighbours, top_k_tied
from cinerec.store import MODEL, resolve_build_dir

from .rp3data import SYNTHETIC_PARAMS, assert_same_lists, reference, synthetic_ratings


def test_three_users_by_hand() -> None:
    # user 0 likes items 0 and 1; user 1 likes 0, 1, 2; user 2 likes 1 and dislikes 3 (0.5)
    users = np.array([0, 0, 1, 1, 1, 2, 2])
    items = np.array([0, 1, 0, 1, 2, 1, 3])
    ratings = np.array([5.0, 4.0, 4.0, 5.0, 4.5, 4.0, 1.0])
    params = Rp3betaParams(k=3, alpha=1.0, beta=0.0, disliked_weight=0.5)
    rows, scores = rp3beta_neighbours(users, items, ratings, None, 5, params)
    # W_0j = Σ_u P_0u P_uj: P_0u = 1/2 for users 0 and 1; P_u1 = 1/2 (user 0), 1/3 (user 1)
    assert rows[0].tolist() == [1, 2, -1]
    np.testing.assert_allclose(scores[0], [1 / 2 * 1 / 2 + 1 / 2 * 1 / 3, 1 / 2 * 1 / 3, 0])
    # item 3: only user 2 (P_3,2 = 1), who gives item 1 a weight 1/1.5
    assert rows[3].tolist() == [1, -1, -1]
    np.testing.assert_allclose(scores[3][0], 1 / 1.5, rtol=1e-6)
    assert rows[4].tolist() == [-1, -1, -1]  # no interactions
    assert rows.dtype == np.int32 and scores.dtype == np.float32
    # β = 1 divides by the neighbour's popularity: item 1 has 3 users, item 2 one
    rows, scores = rp3beta_neighbours(users, items, ratings, None, 5, replace(params, beta=1.0))
    assert rows[0].tolist() == [2, 1, -1]
    np.testing.assert_allclose(scores[0][:2], [1 / 6, (1 / 4 + 1 / 6) / 3], rtol=1e-6)


def test_only_the_rows_asked_for_are_walked_and_read_as_the_full_lists() -> None:
    """The blend's folds of validation users ask for their query movies' lists alone."""
    users, items, ratings, ts, n = synthetic_ratings()
    full = rp3beta_neighbours(users, items, ratings, ts, n, SYNTHETIC_PARAMS)
    asked = np.array([3, 0, 77, 3])
    rows, scores = rp3beta_neighbours(users, items, ratings, ts, n, SYNTHETIC_PARAMS, only=asked)
    for row in range(n):
        if row in asked:
            assert rows[row].tolist() == full[0][row].tolist()
            assert scores[row].tolist() == full[1][row].tolist()
        else:
            assert (rows[row] == -1).all() and (scores[row] == 0).all()
    assert (full[0][asked] >= 0).any(axis=1).all()  # the rows asked for have lists


def test_latest_rating_wins_and_heavy_users_keep_their_most_recent() -> None:
    # (user 0, item 0) rated 1.0 at t=1, then 5.0 at t=9: liked
    users = np.array([0, 0, 0, 1, 1])
    items = np.array([0, 0, 1, 0, 1])
    rows, scores = rp3beta_neighbours(
        users,
        items,
        np.array([1.0, 5.0, 5.0, 5.0, 5.0]),
        np.array([1, 9, 2, 3, 4]),
        2,
        Rp3betaParams(k=1, beta=0.0, disliked_weight=0.0),
    )
    assert rows[:, 0].tolist() == [1, 0]
    # both users like both items: W_01 = Σ_u P_0u P_u1 = 2 · (1/2 · 1/2); the t=1 rating of
    # 1.0 (weight 0) would have left user 0 out of item 0
    np.testing.assert_allclose(scores[:, 0], [0.5, 0.5], rtol=1e-6)
    # a cap of 2: user 0 keeps items 3 and 2 (t=9 and a tie at t=5 broken by item), not 1
    capped = rp3beta_neighbours(
        np.zeros(4, np.int64),
        np.array([0, 1, 2, 3]),
        np.full(4, 5.0),
        np.array([1, 5, 5, 9]),
        4,
        Rp3betaParams(k=3, max_user_items=2),
    )[0]
    assert capped[:, 0].tolist() == [-1, 3, -1, 1]


def test_ties_are_broken_by_the_neighbour_ascending() -> None:
    block = np.array([[0.0, 2.0, 1.0, 2.0, 2.0], [0.0, 0.0, 0.0, 0.0, 0.0]])
    rows, scores = top_k_tied(block, 3)
    assert rows.tolist() == [[1, 3, 4], [-1, -1, -1]]
    assert scores[0].tolist() == [2.0, 2.0, 2.0]


@pytest.mark.parametrize("chunk", [1, 7, 256])
def test_local_engine_equals_the_reference(chunk: int) -> None:
    users, items, ratings, ts, n = synthetic_ratings()
    params = replace(SYNTHETIC_PARAMS, chunk=chunk)
    got = rp3beta_neighbours(users, items, ratings, ts, n, params)
    expected = reference(users, items, ratings, ts, n, params)
    assert_same_lists(got, expected)
    # the set really has what it is for: heavy users above the cap and exact ties
    assert np.bincount(users).max() > params.max_user_items
    assert (np.diff(got[1], axis=1) == 0)[got[0][:, 1:] >= 0].any()


def test_the_model_switch_trains_and_serves_rp3beta(demo_catalog_dir: Path, tmp_path: Path) -> None:
    from cinerec.recommend.model import _catalog_ratings

    build = resolve_build_dir(demo_catalog_dir)
    params = RecommenderParams(collaborative="rp3beta", rp3beta=Rp3betaParams(k=20, beta=0.7))
    model = HybridRecommender(params).fit(build)
    ratings = _catalog_ratings(build, model.ids_)
    rows, scores = rp3beta_neighbours(*ratings, len(model.ids_), params.rp3beta)
    assert (model.cf_rows_ == rows).all() and (model.cf_scores_ == scores).all()
    assert (rows[:, 0] >= 0).sum() > 10
    model.save(tmp_path / MODEL)
    manifest = json.loads((tmp_path / MODEL / "model.json").read_text())
    assert manifest["collaborative"]["algorithm"] == "rp3beta"
    assert manifest["params"]["rp3beta"]["beta"] == 0.7
    loaded = RecommenderIndex.load(tmp_path / MODEL)
    assert loaded.params == params
    assert (loaded.cf_rows == rows).all()
    # the served default is RP3beta (docs/evaluation.md compares it with the cosine)
    assert RecommenderParams().collaborative == "rp3beta"
