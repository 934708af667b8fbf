"""The learned blend: its training, the quality gate, the judged split and profiles."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cinerec.api.state import ServiceState
from cinerec.recommend import ranker as R
from cinerec.recommend.judged import half_of, judged_queries, load_judged
from cinerec.store import resolve_build_dir


def test_judged_halves_are_stable_and_disjoint() -> None:
    queries = load_judged()
    assert len(queries) >= 60 and all(len(q["similar"]) >= 12 for q in queries)
    halves = {q["id"]: half_of(q["id"]) for q in queries}
    assert halves == {q["id"]: half_of(q["id"]) for q in queries}  # no seed, no order
    assert 0.3 < sum(h == "fit" for h in halves.values()) / len(halves) < 0.7
    ids = np.asarray(
        sorted({q["id"] for q in queries} | {s["id"] for q in queries for s in q["similar"]})
    )
    fit, test = judged_queries(ids, "fit"), judged_queries(ids, "test")
    assert not {q.movie_id for q in fit} & {q.movie_id for q in test}
    assert all(q.row not in q.similar for q in fit + test)
    # the first round's rows are a part of each list, the second round adds to them
    assert all(q.first <= q.similar for q in fit + test)
    assert all(len(q.first) >= 12 if q.round == 1 else not q.first for q in fit + test)
    assert any(q.first < q.similar for q in fit + test)


def test_the_ranker_learns_what_the_labels_say() -> None:
    """On pairs where only `same_collection` and `text` tell positives from negatives, the
    fitted model ranks positives first and credits those features."""
    rng = np.random.default_rng(0)
    n = 4000
    x = rng.random((n, len(R.FEATURES))).astype(np.float32)
    y = (x[:, R.FEATURES.index("same_collection")] > 0.7) | (x[:, R.FEATURES.index("text")] > 0.9)
    group = np.arange(n) // 100  # 40 queries of 100 candidates
    data = R.TrainingSet(x, y.astype(np.float32), np.full(n, 1.0 / n), group)
    model = R.fit_ranker(data, R.RankerParams(min_leaf=20))
    score = model.score(x)
    assert ((score > 0) & (score < 1)).all()
    # nearly every positive outranks nearly every negative (the AUC)
    order = np.argsort(np.argsort(score))
    auc = (order[y].mean() - (y.sum() - 1) / 2) / (~y).sum()
    assert auc > 0.95
    importance = model.importance()
    assert max(importance, key=importance.__getitem__) in ("same_collection", "text")
    contributions = model.contributions(x[:50])
    assert contributions.shape == (50, len(R.FEATURES))
    held = R.fit_ranker(data, R.RankerParams(min_leaf=20), drop=("same_collection",))
    assert held.importance()["same_collection"] == 0.0


def test_prior_ranker_for_catalogues_without_labels() -> None:
    prior = R.PriorRanker(drop=("collaborative",))
    x = np.zeros((2, len(R.FEATURES)), np.float32)
    x[0, R.FEATURES.index("same_collection")] = 1.0
    x[:, R.FEATURES.index("collaborative")] = 5.0  # held at 0
    assert prior.score(x)[0] > prior.score(x)[1]
    assert prior.contributions(x)[0, R.FEATURES.index("same_collection")] > 0
    assert prior.contributions(x)[0, R.FEATURES.index("collaborative")] == 0


def test_no_votes_and_no_overview_never_enter_a_known_films_list(demo_state: ServiceState) -> None:
    catalog, model = demo_state.catalog, demo_state.recommender
    obscure = (np.asarray(catalog.vote_count) == 0) & np.array(
        [catalog.overview.get(r) is None for r in range(len(catalog))]
    )
    known = np.flatnonzero(np.asarray(catalog.vote_count) >= 20)
    assert model.ranked is not None
    for row in known.tolist():
        listed = [int(r) for r in model.ranked.rows[row] if r >= 0]
        assert not obscure[listed].any(), catalog.title.text(row)


def _bare_features(catalog: object) -> R.PairFeatures:
    n = len(catalog)  # type: ignore[arg-type]
    none = np.full((n, 0), -1, np.int32)
    return R.PairFeatures(
        catalog,  # type: ignore[arg-type]
        lambda a, b: np.zeros(len(a), np.float32),
        np.zeros((n, 1), np.float32),
        np.zeros(n, np.float32),
        none,
        np.zeros((n, 0), np.float32),
        none,
        np.zeros((n, 0), np.float32),
    )


def test_genre_share_weighs_rare_genres_more(demo_state: ServiceState) -> None:
    catalog = demo_state.catalog
    features = _bare_features(catalog)
    genres = [set(catalog.genres.of_movie.group_list(r)) for r in range(len(catalog))]
    query = next(r for r in range(len(catalog)) if len(genres[r]) >= 2)
    others = [r for r in range(len(catalog)) if r != query]
    disjoint = next(r for r in others if genres[r] and not genres[r] & genres[query])
    share = features.genre_share(np.array([query, query]), np.array([query, disjoint]))
    assert share.tolist() == [1.0, 0.0]
    # of two candidates sharing one genre each, the one sharing the rarer genre shares more
    count = {g: sum(g in s for s in genres) for g in genres[query]}
    rare, common = min(count, key=count.__getitem__), max(count, key=count.__getitem__)
    if count[rare] < count[common]:
        a = next(r for r in others if genres[r] & genres[query] == {rare})
        b = next(r for r in others if genres[r] & genres[query] == {common})
        one, two = features.genre_share(np.array([query, query]), np.array([a, b])).tolist()
        assert one > two
    nothing = next((r for r in range(len(catalog)) if not genres[r]), None)
    if nothing is not None:  # a query without genres gates nothing
        assert features.genre_share(np.array([nothing]), np.array([query])).tolist() == [1.0]


def test_tmdbs_format_keywords_mark_a_short_whatever_the_runtime(
    demo_state: ServiceState, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runtime is often missing (most rows of the reconstructed data): TMDB's "short" and "tv
    special" keywords say it. Checked with a keyword the demo catalogue has."""
    catalog = demo_state.catalog
    before = _bare_features(catalog).special
    keyword = next(
        k
        for k in range(len(catalog.keywords))
        if not before[np.asarray(catalog.keywords.movies.group(k), np.int64)].any()
    )
    holders = np.asarray(catalog.keywords.movies.group(keyword), np.int64)
    monkeypatch.setattr(R, "FORMAT_KEYWORDS", (catalog.keywords.name.text(keyword).upper(),))
    after = _bare_features(catalog).special
    assert after[holders].all()
    others = np.ones(len(catalog), bool)
    others[holders] = False
    assert (after[others] == before[others]).all()


def test_a_short_or_tv_film_is_of_another_kind_unless_same_collection(
    demo_state: ServiceState,
) -> None:
    catalog = demo_state.catalog
    features = _bare_features(catalog)
    a = np.array([0, 0, 0])
    x = np.zeros((3, len(R.FEATURES)), np.float32)
    x[:, R.FEATURES.index("kind_mismatch")] = [1, 1, 0]
    x[1, R.FEATURES.index("same_collection")] = 1
    other = features.other_kind(a, a, x, 0.2)  # b = a: all the query's genres are shared
    assert other.tolist() == [True, False, False]


def test_films_of_another_kind_come_after_those_of_the_same_kind(
    demo_state: ServiceState,
) -> None:
    """The served lists: once a candidate of another kind appears (other genres, not the
    same collection, not the same director with a genre or actor in common), no candidate of
    the same kind follows."""
    catalog, model = demo_state.catalog, demo_state.recommender
    features = _bare_features(catalog)
    assert model.ranked is not None
    share = R.RankerParams().min_genre_share
    gated = 0
    for row in range(len(catalog)):
        listed = np.array([int(r) for r in model.ranked.rows[row] if r >= 0], np.int64)
        if not len(listed):
            continue
        a = np.full(len(listed), row)
        other = features.other_kind(a, listed, features(a, listed), share)
        gated += int(other.sum())
        assert (np.diff(other.astype(int)) >= 0).all(), catalog.title.text(row)
    assert gated > 0  # the demo catalogue has such pairs: the check is not vacuous


def test_the_manifest_records_the_blend(demo_state: ServiceState) -> None:
    manifest = json.loads(
        (demo_state.catalog.build_dir / "model" / "model.json").read_text("utf-8")
    )
    blend = manifest["blend"]
    assert blend["features"] == list(R.FEATURES)
    assert set(blend["training_pairs"]) == {"judged", "judged_positive", "users", "users_positive"}
    assert manifest["params"]["ranker"]["judged_weight"] == R.RankerParams().judged_weight
    assert manifest["params"]["ranker"]["min_genre_share"] == R.RankerParams().min_genre_share


def test_a_profile_weighs_each_liked_movie_the_same(demo_state: ServiceState) -> None:
    """Two unrelated movies: the profile's list holds the best of each."""
    catalog, model = demo_state.catalog, demo_state.recommender
    toy, dark = catalog.row_of_id(862), catalog.row_of_id(155)
    assert toy is not None and dark is not None
    picks = [p.row for p in model.recommend([toy, dark], 6)]
    firsts = {int(model.ranked.rows[toy, 0]), int(model.ranked.rows[dark, 0])}  # type: ignore[union-attr]
    assert firsts <= set(picks)


def test_concat_keeps_the_parts_queries_apart_and_weighs_them_by_share() -> None:
    def part(queries: int) -> R.TrainingSet:
        rows = queries * 3
        x = np.zeros((rows, len(R.FEATURES)), np.float32)
        return R.TrainingSet(x, np.zeros(rows), np.ones(rows), np.arange(rows) // 3)

    data = R.TrainingSet.concat([part(2), part(4)], [0.25, 0.75])
    assert len(np.unique(data.group)) == 6
    assert abs(data.weight[:6].sum() - 0.25) < 1e-9
    assert abs(data.weight[6:].sum() - 0.75) < 1e-9


def test_the_ranker_never_lowers_a_candidate_for_a_shared_director_or_raises_an_obscure_one() -> (
    None
):
    """MONOTONE holds even where the labels say otherwise by chance."""
    rng = np.random.default_rng(1)
    n = 3000
    x = rng.random((n, len(R.FEATURES))).astype(np.float32)
    for name in R.MONOTONE:
        x[:, R.FEATURES.index(name)] = rng.random(n) < 0.3
    noise = rng.random(n) < 0.5  # labels unrelated to the constrained features
    y = (x[:, R.FEATURES.index("text")] > 0.8) | noise
    data = R.TrainingSet(x, y.astype(np.float32), np.full(n, 1.0 / n), np.arange(n) // 100)
    model = R.fit_ranker(data, R.RankerParams(min_leaf=5, trees=50))
    for name, direction in R.MONOTONE.items():
        on, off = x.copy(), x.copy()
        on[:, R.FEATURES.index(name)] = 1.0
        off[:, R.FEATURES.index(name)] = 0.0
        change = model.score(on) - model.score(off)
        assert (change * direction >= -1e-6).all(), name


def test_validation_and_fit_users_are_capped(demo_catalog_dir: Path) -> None:
    """The full ratings.csv has ~54k validation users and ~170k others: seeded samples of
    them label the blend and give its features, so its training stays bounded (all of them
    when there are fewer)."""
    from cinerec.recommend.model import HybridRecommender, RecommenderParams

    build = resolve_build_dir(demo_catalog_dir)
    capped = R.RankerParams(max_validation_users=8, max_fit_users=20, validation_folds=1)
    few = HybridRecommender(RecommenderParams(ranker=capped)).fit(build)
    every = HybridRecommender().fit(build)
    assert 0 < few.blend_.report["validation_queries"] <= 8 * 5
    assert every.blend_.report["validation_queries"] > 8 * 5
    assert few.blend_.report["rating_users"] == {"fit": 20, "validation": 8}
    assert every.blend_.report["rating_users"]["fit"] > 20


def test_more_folds_of_validation_users_give_more_labels(demo_catalog_dir: Path) -> None:
    """Each fold labels the blend with its own users' likes (features from the others), so
    three folds label it with three times the users of one."""
    from cinerec.recommend.model import HybridRecommender, RecommenderParams

    build = resolve_build_dir(demo_catalog_dir)
    reports = {
        folds: HybridRecommender(RecommenderParams(ranker=R.RankerParams(validation_folds=folds)))
        .fit(build)
        .blend_.report
        for folds in (1, 3)
    }
    one, three = reports[1], reports[3]
    assert three["rating_users"]["validation"] > 2 * one["rating_users"]["validation"]
    assert three["validation_queries"] > 2 * one["validation_queries"]
    assert three["training_pairs"]["users"] > 2 * one["training_pairs"]["users"]
    # the judged labels' features come from the first fold's others, as with one fold
    assert three["rating_users"]["fit"] == one["rating_users"]["fit"]


def test_the_content_model_weighs_the_judged_labels_by_its_own_share(
    demo_catalog_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hybrid model trains on `judged_weight` of the weight on the judged labels, the
    content-only one (cold start) on `content_judged_weight`, the similar one
    (`/recomendacion`) on the judged labels alone."""
    from cinerec.recommend.model import HybridRecommender, RecommenderParams

    # (dropped features, judged rows' weight, rows trained on)
    seen: list[tuple[tuple[str, ...], float, int]] = []
    # rows of each labelled part: a fold of viewers' labels each, then the judged ones, which
    # come first in the training set
    parts: list[int] = []
    fit, labelled = R.fit_ranker, R.labelled

    def recording(
        data: R.TrainingSet, params: R.RankerParams, drop: tuple[str, ...] = ()
    ) -> R.Ranker:
        seen.append((drop, float(data.weight[: parts[-1]].sum()), len(data.y)))
        return fit(data, params, drop)

    def counting(*args: Any, **kwargs: Any) -> R.TrainingSet:
        part = labelled(*args, **kwargs)
        parts.append(len(part.y))
        return part

    monkeypatch.setattr(R, "fit_ranker", recording)
    monkeypatch.setattr(R, "labelled", counting)
    shares = R.RankerParams(judged_weight=0.2, content_judged_weight=0.9, min_leaf=5)
    HybridRecommender(RecommenderParams(ranker=shares)).fit(resolve_build_dir(demo_catalog_dir))
    # the viewers' labels of three folds and the judged labels: not vacuous
    assert len(parts) == shares.validation_folds + 1 and min(parts) > 0
    # hybrid, content-only, and the similar model on the judged labels alone (every feature)
    assert [drop != () for drop, _, _ in seen] == [False, True, False]
    assert seen[0][2] == seen[1][2] == sum(parts)
    assert seen[0][1] == pytest.approx(0.2, abs=1e-5)
    assert seen[1][1] == pytest.approx(0.9, abs=1e-5)
    assert seen[2][1] == pytest.approx(1.0, abs=1e-5) and seen[2][2] == parts[-1]


def test_most_recent_caps_heavy_users() -> None:
    from cinerec.recommend.collaborative import most_recent

    users = np.array([1, 1, 1, 2, 1, 2])
    stamps = np.array([10, 40, 30, 5, 20, np.nan])
    keep = most_recent(users, stamps, 2)
    assert keep.tolist() == [False, True, True, True, False, True]
    assert most_recent(users, None, 2).tolist() == [True, True, False, True, False, True]


def test_writers_and_key_crew_are_the_makers_the_crew_table_names(
    demo_state: ServiceState,
) -> None:
    """Two films share writers (or a producer, composer, cinematographer, editor) exactly when
    the build's crew table credits the same person so; storyboards are not writing."""
    import pyarrow.parquet as pq

    from cinerec.catalog.indexer import NOT_WRITERS, WRITING_DEPARTMENT
    from cinerec.recommend.features import KEY_CREW_JOBS
    from cinerec.store import TABLES

    catalog = demo_state.catalog
    crew = pq.read_table(catalog.build_dir / TABLES / "movie_crew.parquet").to_pylist()
    row = {int(m): r for r, m in enumerate(np.asarray(catalog.movie_id).tolist())}
    makers: dict[str, dict[int, set[int]]] = {"writers": {}, "key_crew": {}}
    for credit in crew:
        kind = (
            "writers"
            if credit["department"] == WRITING_DEPARTMENT and credit["job"] not in NOT_WRITERS
            else "key_crew"
            if credit["job"] in KEY_CREW_JOBS
            else None
        )
        if kind and credit["person_key"] is not None and credit["movie_id"] in row:
            makers[kind].setdefault(row[credit["movie_id"]], set()).add(credit["person_key"])
    features = _bare_features(catalog)
    for kind, of_movie in makers.items():
        assert len(of_movie) >= 2, kind  # the demo data credits some
        rows = sorted(of_movie)
        a = np.repeat(rows, len(rows))
        b = np.tile(rows, len(rows))
        x = features(a, b)[:, R.FEATURES.index(kind)]
        expected = [bool(of_movie[i] & of_movie[j]) for i, j in zip(a, b, strict=True)]
        assert (x > 1e-6).tolist() == expected
        assert np.allclose(x[a == b], 1.0)
        assert any(e for e, i, j in zip(expected, a, b, strict=True) if i != j), kind


def test_animation_documentary_and_horror_make_a_kind_of_their_own(
    demo_state: ServiceState,
) -> None:
    """An animated film and a live-action one are of other kinds both ways, however many
    genres they share; a horror film's candidate that is not horror is of another kind, not
    the reverse; a shared collection still keeps them together."""
    catalog = demo_state.catalog
    features = _bare_features(catalog)
    genres = [
        {catalog.genres.name.text(g) for g in catalog.genres.of_movie.group_list(r)}
        for r in range(len(catalog))
    ]

    def pair(query: int, candidate: int, collection: bool = False) -> bool:
        a, b = np.array([query]), np.array([candidate])
        x = np.zeros((1, len(R.FEATURES)), np.float32)
        x[0, R.FEATURES.index("same_collection")] = collection
        return bool(features.other_kind(a, b, x, 0.0)[0])  # the genre share gates nothing

    for kind, both_ways in R.KIND_GENRES:
        having = [r for r in range(len(catalog)) if kind in genres[r]]
        lacking = [r for r in range(len(catalog)) if genres[r] and kind not in genres[r]]
        if not having or not lacking:
            continue
        assert pair(having[0], lacking[0]), kind
        assert pair(lacking[0], having[0]) == both_ways, kind
        assert not pair(having[0], lacking[0], collection=True), kind
        if len(having) > 1:
            assert not pair(having[0], having[1]), kind
    checked = {k for k, _ in R.KIND_GENRES if any(k in g for g in genres)}
    assert {"Animation", "Horror"} <= checked  # the demo catalogue has both: not vacuous


def test_reverse_rank_is_where_the_query_would_stand_in_the_candidates_list() -> None:
    """1 / (1 + rank) among the candidate's own similarities, best first; 0 below its list
    or when not similar at all."""
    own = np.array([[0.9, 0.5, 0.2]], np.float32)
    owner = np.zeros(5, np.int64)
    similarity = np.array([0.95, 0.5, 0.3, 0.1, 0.0], np.float32)
    got = R._would_rank(own, owner, similarity).tolist()
    assert got == pytest.approx([1.0, 0.5, 1 / 3, 0.0, 0.0])
    assert R._would_rank(np.zeros((1, 0), np.float32), owner, similarity).tolist() == [0.0] * 5


def test_reverse_rank_agrees_with_the_neighbour_lists_found() -> None:
    """For a known film in a candidate's list, the reverse feature is its rank there; for a
    film that cannot be listed (not known) it is where its similarity would put it."""
    from cinerec.recommend.blend import _known_neighbours

    rng = np.random.default_rng(3)
    vectors = rng.random((40, 6)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    known = np.arange(40) % 3 != 0

    def block(start: int, stop: int) -> np.ndarray:
        return vectors[start:stop] @ vectors[known].T

    rows, similarities = _known_neighbours(block, 40, known, 5, 16, None)
    for candidate in range(40):
        for rank, query in enumerate(rows[candidate].tolist()):
            sim = np.array([vectors[query] @ vectors[candidate]], np.float32)
            got = R._would_rank(similarities, np.array([candidate]), sim)
            assert got.tolist() == pytest.approx([1.0 / (1.0 + rank)])
    outsider = int(np.flatnonzero(~known)[0])
    candidate = 1 if outsider != 1 else 2
    sim = np.array([vectors[outsider] @ vectors[candidate]], np.float32)
    expected = int((similarities[candidate] > sim[0] + 1e-6).sum())
    got = R._would_rank(similarities, np.array([candidate]), sim)[0]
    assert got == (pytest.approx(1.0 / (1.0 + expected)) if expected < 5 else 0.0)


def test_a_similar_story_needs_the_stories_near_each_other() -> None:
    """Near: the candidate in the movie's text neighbour list, or the movie as close to the
    candidate as the candidate's own listed films; neither for a story that is only closer
    than most candidates."""
    from cinerec.recommend.blend import near_stories

    angles = np.array([0.0, 0.1, 0.2, 1.2, 1.25, 1.3], np.float32)
    text = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    # lists of the first two films (the others' lists are empty); text neighbour lists of
    # length 2 with their similarities, best first
    lists = np.array([[1, 3, -1], [0, 5, 2]] + [[-1, -1, -1]] * 4, np.int32)
    neighbours = np.array([[1, 2], [0, 2], [1, 0], [4, 5], [3, 5], [4, 3]], np.int32)
    similarities = np.array(
        [[float(text[i] @ text[j]) for j in row] for i, row in enumerate(neighbours)],
        np.float32,
    )
    near = near_stories(text, lists, neighbours, similarities, 2)
    assert near[0].tolist() == [True, False, False]  # 1 is listed; 3 is a story apart
    assert near[1].tolist() == [True, False, False]  # 5's own list is closer; 2 past depth
    assert not near[2:].any()
    assert (near_stories(text, lists, neighbours, similarities, 2, chunk=1) == near).all()
    # film 5 as a candidate of film 2, not listed by 2 but as close to 5 as 5's own
    far = np.array([[5]] * 6, np.int32)
    close = text.copy()
    close[2] = text[4]
    assert near_stories(close, far, neighbours, similarities, 1)[2, 0]
    assert not near_stories(text, far, neighbours, similarities, 1)[2, 0]


def test_liked_together_scores_any_pair_as_the_neighbour_lists_score_theirs() -> None:
    """The co-liked similarity of a pair beyond a movie's top k is the same shrunk cosine as
    the listed ones: listed pairs read their listed score, an unlisted pair liked by the
    same users has a smaller positive one, a pair nobody liked together has none."""
    from cinerec.recommend.collaborative import LikedTogether, interaction_matrix, item_neighbours

    rng = np.random.default_rng(5)
    users = rng.integers(0, 60, 900)
    items = rng.integers(0, 30, 900)
    values = rng.choice([2.0, 4.5], 900)
    matrix = interaction_matrix(users, items, values, 32, 4.0, 0.3)  # 30, 31: never rated
    rows, scores = item_neighbours(matrix, 3, 10.0)
    together = LikedTogether(matrix, 10.0, chunk=7)

    def pairs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return together(a, b)[0]

    a = np.repeat(np.arange(30), 3)
    got = pairs(a, rows[:30].reshape(-1).astype(np.int64))
    assert got == pytest.approx(scores[:30].reshape(-1), rel=1e-5)
    beyond = pairs(np.arange(30), np.asarray(rows[:30, 2], np.int64))  # the 3rd listed
    for movie in range(30):
        others = [o for o in range(30) if o != movie and o not in rows[movie].tolist()]
        unlisted = pairs(np.full(len(others), movie), np.asarray(others))
        assert (unlisted <= beyond[movie] + 1e-6).all() and (unlisted > 0).any()
    assert pairs(np.array([0, 30, 31]), np.array([30, 1, 30])).tolist() == [0.0, 0.0, 0.0]
    assert pairs(np.array([4]), np.array([4])).tolist() == [0.0]
    assert together(np.array([0, 30]), np.array([30, 1]))[1].tolist() == [0.0, 0.0]


def test_the_lift_discounts_the_film_everyone_liked() -> None:
    """Of a film's co-liked candidates, the one everyone liked has the larger cosine and no
    lift; one liked by a quarter of the film's viewers and few others has the larger lift;
    one none of them liked has a negative lift."""
    from cinerec.recommend.collaborative import LikedTogether, interaction_matrix

    liked = {0: range(20), 1: range(100), 2: [*range(5), *range(50, 55)], 3: range(50, 60)}
    users = np.array([u for movie in liked for u in liked[movie]])
    items = np.array([movie for movie in liked for _ in liked[movie]])
    matrix = interaction_matrix(users, items, np.full(len(users), 5.0), 4, 4.0, 0.3)
    cosine, lift, given, gap = LikedTogether(matrix, 1.0)(
        np.zeros(3, np.int64), np.array([1, 2, 3])
    )
    assert gap.tolist() == [0.0, 0.0, 0.0]  # no ratings given: no rating gap
    assert cosine[0] > cosine[1] > cosine[2] == 0.0
    # 0 for independence (b's viewers as common among a's as among everyone), else the log
    # of (shared + 10 viewers at b's rate) / (a's viewers + 10) over b's rate
    assert lift.tolist() == pytest.approx([0.0, np.log(0.2 / 0.1), np.log((1 / 30) / 0.1)])
    # the share itself does not discount: every viewer of 0 liked 1, a quarter of them 2
    # (shrunk: (5 + 10 × 0.1) / 30); none liked 3, whose share is the 10 prior viewers' 1 / 30
    assert given.tolist() == pytest.approx([1.0, 0.2, 1 / 30])


def test_the_rating_gap_rewards_what_the_films_fans_rate_above_everyone() -> None:
    """Two films everyone rated 4: the one the query's fans rated 5 gets a positive gap,
    the one they rated as everyone did none, one they rated lower a negative one, shrunk
    toward 0 by `rating_prior` ratings at the film's mean; a film none of them rated has no
    gap whatever its mean."""
    from cinerec.recommend.collaborative import LikedTogether, interaction_matrix, rating_matrix

    fans, others = range(10), range(10, 50)
    rows: list[tuple[int, int, float]] = [(u, 0, 5.0) for u in fans]  # film 0: the query
    rows += [(u, 1, 5.0) for u in fans] + [(u, 1, 4.0) for u in others]  # fans rate it higher
    rows += [(u, 2, 4.0) for u in [*fans, *others]]  # everyone alike
    rows += [(u, 3, 3.0) for u in fans] + [(u, 3, 4.0) for u in others]  # fans rate it lower
    rows += [(u, 4, 5.0) for u in others]  # no fan rated it
    users, items, values = (np.array(column) for column in zip(*rows, strict=True))
    matrix = interaction_matrix(users, items, values, 5, 4.0, 0.3)
    given = rating_matrix(users, items, values, 5)
    together = LikedTogether(matrix, 1.0, ratings=given, rating_prior=5.0)
    gap = together(np.zeros(4, np.int64), np.array([1, 2, 3, 4]))[3]
    overall = values.mean()
    mean = {
        1: (10 * 5 + 40 * 4 + 5 * overall) / 55,
        3: (10 * 3 + 40 * 4 + 5 * overall) / 55,
    }
    assert gap[0] == pytest.approx((10 * 5 + 5 * mean[1]) / 15 - mean[1], rel=1e-5)
    assert gap[0] > 0 and gap[2] < 0 and gap[3] == pytest.approx(0.0, abs=1e-6)
    assert gap[2] == pytest.approx((10 * 3 + 5 * mean[3]) / 15 - mean[3], rel=1e-5)
    assert abs(gap[1]) < 0.05  # rated as everyone did (the overall mean is a little above 4)
    # one rating per (user, movie): a second rating of the same pair is not added to it
    twice = rating_matrix(np.array([7, 7]), np.array([2, 2]), np.array([5.0, 1.0]), 3)
    assert twice.toarray().tolist() == [[0.0, 0.0, 5.0]]


def test_shared_neighbours_counts_the_lists_in_common() -> None:
    """The share of b's listed neighbours that a's list holds too, over the lists' width
    (-1 padding counts for nothing), the same whatever the chunk of query movies."""
    rng = np.random.default_rng(3)
    n, k = 300, 8
    lists = np.stack([rng.choice(60, k, replace=False) for _ in range(n)]).astype(np.int32)
    lists[rng.random((n, k)) < 0.25] = -1
    a, b = rng.integers(0, n, 2000), rng.integers(0, n, 2000)

    def listed(row: int) -> set[int]:
        return {int(v) for v in lists[row] if v >= 0}

    want = [len(listed(x) & listed(y)) / k for x, y in zip(a, b, strict=True)]
    for chunk in (1, 7, 512):
        assert R.shared_neighbours(lists, a, b, chunk).tolist() == pytest.approx(want)
    assert R.shared_neighbours(lists[:, :0], a, b).tolist() == [0.0] * len(a)


def test_the_shared_neighbour_features_read_the_heads_of_the_lists(
    demo_state: ServiceState,
) -> None:
    """With each movie's nearest known films, the shared-neighbour features are
    `shared_neighbours` over the first `SHARED_NEIGHBOURS` of each list; without them, 0."""
    catalog = demo_state.catalog
    n = len(catalog)
    rng = np.random.default_rng(4)
    bare = _bare_features(catalog)
    width = R.SHARED_NEIGHBOURS + 5
    content, text = (
        np.stack([rng.permutation(n)[:width] for _ in range(n)]).astype(np.int32) for _ in range(2)
    )
    co = (content[:, ::-1].copy(), np.ones((n, width), np.float32))
    features = bare.with_ratings((bare.cf_rows, bare.cf_scores), co, None)
    a, b = rng.integers(0, n, 300), rng.integers(0, n, 300)
    assert not features(a, b)[:, R.FEATURES.index("shared_content_neighbours")].any()
    features.own_neighbours = (content, text)
    got = features(a, b)
    head = R.SHARED_NEIGHBOURS
    for name, lists in (
        ("shared_content_neighbours", content),
        ("shared_text_neighbours", text),
        ("shared_co_liked", co[0]),
    ):
        want = R.shared_neighbours(lists[:, :head], a, b)
        assert got[:, R.FEATURES.index(name)].tolist() == pytest.approx(want.tolist())
        assert want.any()


def test_the_co_liked_feature_reaches_beyond_the_listed_pairs(demo_state: ServiceState) -> None:
    """With the pair similarity, a listed candidate keeps its listed share of the best and an
    unlisted one gets its own share (capped at 1), instead of 0."""
    catalog = demo_state.catalog
    n = len(catalog)
    co_rows = np.full((n, 2), -1, np.int32)
    co_scores = np.zeros((n, 2), np.float32)
    co_rows[0], co_scores[0] = [1, 2], [0.5, 0.25]
    table = {(0, 1): 0.5, (0, 2): 0.25, (0, 3): 0.1, (0, 4): 0.9}

    def pairs(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
        listed = [table.get((int(x), int(y)), 0.0) for x, y in zip(a, b, strict=True)]
        share, gap = np.full(len(a), 0.25, np.float32), np.full(len(a), -0.5, np.float32)
        return np.array(listed, np.float32), np.full(len(a), 0.5, np.float32), share, gap

    bare = _bare_features(catalog)
    cf = (bare.cf_rows, bare.cf_scores, co_rows, co_scores)
    features = R.PairFeatures(
        catalog, bare.content, bare.text_vectors, bare.quality, *cf, co_liked_pairs=pairs
    )
    column = R.FEATURES.index("co_liked")
    got = features(np.zeros(5, np.int64) + np.array([0, 0, 0, 0, 1]), np.array([1, 2, 3, 4, 2]))
    assert got[:, column].tolist() == pytest.approx([1.0, 0.5, 0.2, 1.0, 0.0])
    assert got[:, R.FEATURES.index("co_lift")].tolist() == pytest.approx([0.5] * 5)
    assert got[:, R.FEATURES.index("co_given")].tolist() == pytest.approx([0.25] * 5)
    assert got[:, R.FEATURES.index("co_rating")].tolist() == pytest.approx([-0.5] * 5)
    listed_only = R.PairFeatures(catalog, bare.content, bare.text_vectors, bare.quality, *cf)
    got = listed_only(np.zeros(3, np.int64), np.array([1, 2, 3]))
    assert got[:, column].tolist() == pytest.approx([1.0, 0.5, 0.0])
    assert got[:, R.FEATURES.index("co_lift")].tolist() == [0.0, 0.0, 0.0]


def test_other_ratings_on_the_same_catalogue_features_read_as_built_afresh(
    demo_state: ServiceState,
) -> None:
    """Each fold of validation users gets its collaborative lists on one shared catalogue
    side (`with_ratings`): the features are those of features built from scratch, and the
    copy leaves the original as it was."""
    catalog = demo_state.catalog
    n = len(catalog)
    rng = np.random.default_rng(2)
    bare = _bare_features(catalog)
    cf = (rng.integers(0, n, (n, 3)).astype(np.int32), rng.random((n, 3)).astype(np.float32))
    co = (rng.integers(0, n, (n, 2)).astype(np.int32), rng.random((n, 2)).astype(np.float32))

    def pairs(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
        return ((a + b) % 7 / 7.0, (a * b) % 5 / 5.0, (a + 2 * b) % 3 / 3.0, (a - b) % 4 / 4.0)

    afresh = R.PairFeatures(
        catalog, bare.content, bare.text_vectors, bare.quality, *cf, *co, co_liked_pairs=pairs
    )
    shared = bare.with_ratings(cf, co, pairs)
    a, b = rng.integers(0, n, 200), rng.integers(0, n, 200)
    assert np.array_equal(shared(a, b), afresh(a, b))
    assert shared.special is bare.special  # the catalogue's side is not recomputed
    assert bare.cf_rows.shape[1] == 0 and bare.co_liked_pairs is None


def test_ranking_in_two_threads_gives_the_same_lists(demo_state: ServiceState) -> None:
    """`rank_all` scores a chunk in another thread while it computes the next one's features;
    the lists, scores and contributions are the same as one chunk after the other."""
    catalog = demo_state.catalog
    n = len(catalog)
    rng = np.random.default_rng(1)
    x = rng.random((2000, len(R.FEATURES))).astype(np.float32)
    y = (x[:, R.FEATURES.index("text")] > 0.8).astype(np.float32)
    data = R.TrainingSet(x, y, np.full(len(y), 1.0 / len(y)), np.arange(len(y)) // 50)
    fitted = R.fit_ranker(data, R.RankerParams(min_leaf=20, trees=20))
    features = _bare_features(catalog)
    features.text_vectors = rng.random((n, 8)).astype(np.float32)
    neighbours = rng.integers(0, n, (n, 12)).astype(np.int32)
    sources: list[R.Sources] = [[(neighbours, 12)], [(neighbours, 6)]]
    rankers: list[R.Ranker] = [fitted, R.PriorRanker()]
    runs = [
        R.rank_all(catalog, features, rankers, sources, R.RankerParams(), 8, [5, 0], None, 32, o)
        for o in (False, True)
    ]
    assert n > 3 * 32  # several chunks, so scoring and features did overlap
    for one, other in zip(*runs, strict=True):
        assert (one.rows >= 0).any()
        np.testing.assert_array_equal(one.rows, other.rows)
        np.testing.assert_array_equal(one.scores, other.scores)
        np.testing.assert_array_equal(one.contributions, other.contributions)
    assert runs[0][0].contributions.any()


def test_fans_lists_count_the_lists_naming_both_and_discount_a_film_named_everywhere() -> None:
    # three lists over 7 films: 6 is named in every list (a famous film)
    fans = R.FanLists([np.array([0, 1, 2, 6]), np.array([3, 1, 2, 6]), np.array([4, 5, 6])], n=8)
    a = np.array([1, 1, 1, 0, 7])
    b = np.array([2, 6, 4, 5, 1])
    together, cosine = fans.pairs(a, b)
    assert np.allclose(together, np.log1p([2, 2, 0, 0, 0]))
    # 1 and 2 are named in the same two lists; 6 is in those two and one more
    assert cosine[0] == pytest.approx(1.0)
    assert cosine[1] == pytest.approx(2 / np.sqrt(2 * 3))
    assert cosine[0] > cosine[1]
    assert (cosine[2:] == 0).all()  # never named together, or 7 named nowhere


def test_fans_lists_leave_a_querys_own_list_out_of_its_pairs_and_candidates() -> None:
    fans = R.FanLists([np.array([0, 1, 2]), np.array([3, 1, 4]), np.array([5, 6])], n=7)
    own = fans.own()
    assert own.tolist() == [0, -1, -1, 1, -1, 2, -1]  # each list was written for its first film
    # 0's own list names 1 and 2: left out, 0 is named nowhere else, so nothing is left
    together, cosine = fans.pairs(np.array([0, 0]), np.array([1, 2]), own[[0, 0]])
    assert (together == 0).all() and (cosine == 0).all()
    # 1 is named with 4 in 3's list: left out of 3's pairs, it still counts for 1's
    assert fans.pairs(np.array([1]), np.array([4]), own[[1]])[0][0] == pytest.approx(np.log1p(1))
    assert fans.pairs(np.array([3]), np.array([4]), own[[3]])[0][0] == 0
    neighbours = fans.neighbours(3)
    assert set(neighbours[0].tolist()) == {1, 2, -1}
    assert neighbours[1, 0] in (0, 2, 3, 4) and (neighbours[6] == [5, -1, -1]).all()
    without_own = fans.neighbours(3, own)
    assert (without_own[0] == -1).all()  # the labels of 0 never get their answers as candidates
    assert set(without_own[1].tolist()) == set(neighbours[1].tolist())  # 1 has no own list


def test_fans_lists_answer_no_pairs_and_catalogues_without_lists() -> None:
    none = np.zeros(0, np.int64)
    for fans in (R.FanLists([], n=3), R.FanLists([np.array([0, 1])], n=3)):
        assert all(len(v) == 0 for v in fans.pairs(none, none))
        assert all(len(v) == 0 for v in fans.pairs(none, none, none))
    empty = R.FanLists([], n=3)  # a catalogue none of the judged films is in
    own = empty.own()
    assert (own == -1).all() and (empty.neighbours(5) == -1).all()
    together, cosine = empty.pairs(np.array([0, 1]), np.array([1, 2]), own[[0, 1]])
    assert (together == 0).all() and (cosine == 0).all()
