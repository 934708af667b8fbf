"""Training the learned blend from a catalogue: candidate lists, labels, two models, every
movie's ranked lists (`ranker` holds the pieces; this module puts them in order).

- Candidate sources: content and text-embedding neighbours among known films (at least
  `known_votes` votes: a fan's "same kind" is nearly always a film people have seen, and
  searching 8k films instead of 45k keeps the build short), collaborative (RP3beta)
  neighbours, and a movie's collection and directors.
- Labels: the `fit` half of the judged set, and — when the catalogue has ratings — the likes
  of validation users (seeded disjoint folds of the rating users), each fold's with
  collaborative features from the users outside it only, so the model never learns from a
  co-like it is asked to predict.
- Models: the hybrid (every feature), the content-only one (the collaborative features
  held at 0: what a movie without ratings gets, and `strategy=content`) and the similar one
  (every feature, the judged labels alone: what a fan calls similar, `strategy=similar`,
  `/recomendacion` and a movie page's first list; the co-likes count as evidence of
  likeness there, not as the target).
- Served: each movie's lists by all three, from the collaborative lists of every rating user.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from cinerec.catalog.loaded import Catalog
from cinerec.progress import Progress, SilentProgress
from cinerec.recommend import ranker as R
from cinerec.recommend.collaborative import (
    LikedTogether,
    interaction_matrix,
    item_neighbours,
    most_recent,
    rating_matrix,
)
from cinerec.recommend.judged import judged_queries
from cinerec.recommend.splits import make_queries, user_folds

Array = np.ndarray[Any, Any]
COLLABORATIVE_FEATURES = (
    "collaborative",
    "collaborative_rank",
    "co_liked",
    "co_lift",
    "co_given",
    "co_rating",
    "shared_co_liked",
)
EXPLAINED_PAIRS = 12
CO_LIKED_SHRINK = 10.0
MIN_POSITIVES = 20  # labelled positive pairs needed to fit the model, else the fixed prior  # of each hybrid list, the pairs whose reasons come from their TreeSHAP


@dataclass
class Blend:
    hybrid: R.RankedLists
    content: R.RankedLists
    hybrid_model: R.Ranker
    content_model: R.Ranker
    report: dict[str, Any]
    # per hybrid list entry: are the two stories near (`near_stories`)? The "a similar
    # story" reason needs it besides the text signal's contribution
    near_story: Array
    # the similar lists and their model; None where the judged labels are too few to learn
    # from (a tiny catalogue): the content lists answer instead
    similar: R.RankedLists | None = None
    similar_model: R.Ranker | None = None
    # per hybrid list entry: do the fans' lists name the two together? "film fans name them
    # together" needs it besides the signal's contribution (a contribution can be positive
    # for a pair the lists never name)
    fans_named: Array | None = None


class _Rows:
    """Ratings as parallel arrays (the shape `splits.make_queries` reads)."""

    def __init__(self, users: Array, rows: Array, values: Array) -> None:
        self.users, self.rows, self.values = users, rows, values


def _known_neighbours(
    similarity: Any, n: int, known: Array, k: int, chunk: int, progress: Progress | None
) -> tuple[Array, Array]:
    """Each movie's k most similar known films (`similarity(start, stop)` -> dense block
    against the known films only), best first, and their similarities; -1 (similarity 0)
    where none is similar at all."""
    columns = np.flatnonzero(known)
    k = min(k, max(len(columns) - 1, 0))
    out = np.full((n, k), -1, np.int32)
    similarities = np.zeros((n, k), np.float32)
    if k == 0:
        return out, similarities
    position = np.full(n, -1, np.int64)
    position[columns] = np.arange(len(columns))
    progress = progress or SilentProgress()
    progress.start(-(-n // chunk), "neighbours among known films")
    try:
        for start in range(0, n, chunk):
            stop = min(n, start + chunk)
            sims = np.asarray(similarity(start, stop), np.float32)
            own = position[start:stop]
            mine = np.flatnonzero(own >= 0)
            sims[mine, own[mine]] = -np.inf  # not its own neighbour
            top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            values = np.take_along_axis(sims, top, axis=1)
            order = np.lexsort((top, -values), axis=1)
            top = np.take_along_axis(top, order, axis=1)
            values = np.take_along_axis(values, order, axis=1)
            out[start:stop] = np.where(values > 0, columns[top], -1)
            similarities[start:stop] = np.where(values > 0, values, 0.0)
            progress.advance("neighbours among known films")
    finally:
        progress.finish()
    return out, similarities


def near_stories(
    text: Array,
    lists: Array,
    text_neighbours: Array,
    text_similarities: Array,
    depth: int,
    chunk: int = 4096,
) -> Array:
    """For the first `depth` entries of each list, whether either story is among the other's
    nearest by the text embeddings: the candidate in the movie's text neighbour list, or the
    movie as close to the candidate as the candidate's own listed ones. A positive text
    contribution alone only says "closer than most candidates", which a famous film of
    another story (*Star Wars* for *Top Gun*) can be."""
    n, width = lists.shape
    depth = min(depth, width)
    near = np.zeros((n, width), bool)
    if depth == 0 or text_neighbours.shape[1] == 0:
        return near
    for start in range(0, n, chunk):  # bounded memory: the pairs' vectors, a chunk at a time
        stop = min(n, start + chunk)
        head = np.asarray(lists[start:stop, :depth], np.int64)
        listed = (head[:, :, None] == np.asarray(text_neighbours[start:stop])[:, None, :]).any(2)
        movie = np.repeat(np.arange(start, stop), depth)
        other = head.reshape(-1)
        valid = other >= 0
        similarity = np.zeros(len(other), np.float32)
        similarity[valid] = np.einsum("ij,ij->i", text[movie[valid]], text[other[valid]])
        reverse = np.zeros(len(other), bool)
        reverse[valid] = R._would_rank(text_similarities, other[valid], similarity[valid]) > 0
        near[start:stop, :depth] = (listed | reverse.reshape(-1, depth)) & (head >= 0)
    return near


def _sample(users: set[int], limit: int, seed: int) -> set[int]:
    if len(users) <= limit:
        return users
    pool = np.fromiter(sorted(users), np.int64, len(users))
    return set(np.random.default_rng(seed).choice(pool, limit, replace=False).tolist())


def learn_blend(
    catalog: Catalog,
    content_features: Any,
    text: Array,
    quality: Array,
    ratings: tuple[Array, ...],
    collaborative: Any,
    cf_lists: tuple[Array, Array],
    params: R.RankerParams,
    width: int,
    progress: Progress | None = None,
) -> Blend:
    """`collaborative(ratings, only) -> (rows, scores)` trains the collaborative lists (the
    recommender's algorithm; the lists of the rows `only` are enough); `cf_lists` are its
    lists from every rating user."""

    n = len(catalog)
    sparse, dense = content_features.sparse, content_features.dense
    content = R.content_cosine(sparse, dense)
    votes = np.asarray(catalog.vote_count)
    known = votes >= params.known_votes
    sq = np.asarray(sparse.multiply(sparse).sum(axis=1)).ravel() + (dense * dense).sum(axis=1)
    norms = np.sqrt(np.maximum(sq, 1e-12)).astype(np.float32)
    known_sparse_t = sparse[known].T.tocsr()
    known_dense_t = np.ascontiguousarray(dense[known].T)

    def known_content(start: int, stop: int) -> Array:
        block = np.asarray((sparse[start:stop] @ known_sparse_t).toarray(), np.float32)
        block += dense[start:stop] @ known_dense_t
        return block / (norms[start:stop, None] * norms[known][None, :])

    known_text_t = np.ascontiguousarray(text[known].T)
    has_text = np.linalg.norm(text, axis=1) > 0

    def known_texts(start: int, stop: int) -> Array:
        sims = text[start:stop] @ known_text_t
        sims[~has_text[start:stop]] = -np.inf
        return sims

    content_known, content_similarities = _known_neighbours(
        known_content, n, known, params.per_known, 1024, progress
    )
    text_known, text_similarities = _known_neighbours(
        known_texts, n, known, params.per_known_text, 1024, progress
    )
    own_similarities = (content_similarities, text_similarities)

    def co_liked(subset: tuple[Array, ...]) -> tuple[Array, Array, LikedTogether | None]:
        users, items, values = subset[:3]
        if not len(users):
            return np.full((n, 0), -1, np.int32), np.zeros((n, 0), np.float32), None
        keep = most_recent(users, subset[3] if len(subset) > 3 else None, params.max_user_items)
        users, items, values = users[keep], items[keep], values[keep]
        matrix = interaction_matrix(users, items, values, n, 4.0, 0.3)
        given = rating_matrix(users, items, values, n)
        return (
            *item_neighbours(matrix, 50, CO_LIKED_SHRINK),
            LikedTogether(matrix, CO_LIKED_SHRINK, ratings=given),
        )

    # labels: the judged fit half, and validation users' likes with features from the others;
    # `validation_folds` disjoint folds of validation users, each with its own features, so
    # more users label the blend without any of them seeing its own co-likes as a feature
    judged_all = judged_queries(np.asarray(catalog.movie_id))
    judged = [(q.row, q.similar) for q in judged_all if q.half == "fit"]
    # the judged lists as evidence of a kind (`R.FanLists`; the test half's too in a build,
    # never in `evaluate`); a judged query's labels are learned with its own list left out,
    # features and candidates alike
    fans = R.FanLists(
        [
            np.asarray([q.row, *sorted(q.similar)], np.int64)
            for q in judged_all
            if params.fans_lists == "all" or q.half == "fit"
        ],
        n,
    )
    fans_neighbours = fans.neighbours(params.per_fans)
    own_list = fans.own()
    fans_neighbours_without_own = fans.neighbours(params.per_fans, own_list)

    def sources(cf_rows: Array, fans_rows: Array = fans_neighbours) -> list[R.Sources]:
        content_only: R.Sources = [
            (content_known, params.per_known),
            (text_known, params.per_known_text),
            (fans_rows, params.per_fans),
        ]
        return [[*content_only, (cf_rows, params.per_source)], content_only]

    # what the pair features take from the catalogue, computed once; each set of rating users
    # adds its own collaborative lists (`with_ratings`)
    none = (np.full((n, 0), -1, np.int32), np.zeros((n, 0), np.float32))
    catalogue_features = R.PairFeatures(
        catalog,
        content,
        text,
        quality,
        *none,
        *none,
        own_similarities,
        own_neighbours=(content_known, text_known),
        fans=fans,
    )
    users = ratings[0]
    folds = (
        user_folds(users, params.validation_share, params.validation_folds, params.seed)
        if len(users)
        else []
    )
    fit_users: set[int] = set()
    validation_users: set[int] = set()
    user_parts: list[R.TrainingSet] = []
    validation_queries = 0
    judged_features: tuple[R.PairFeatures, R.Sources] | None = None
    for rest, fold in folds:
        # bounded training whatever the ratings' size: labels and their features from
        # seeded samples (all of them at ratings_small's size)
        fold = _sample(fold, params.max_validation_users, params.seed)
        rest = _sample(rest, params.max_fit_users, params.seed)
        in_rest = np.isin(users, np.fromiter(rest, np.int64, len(rest)))
        rest_ratings = tuple(column[in_rest] for column in ratings)
        queries = make_queries(_Rows(*ratings[:3]), fold, 5, params.seed)
        liked = [(row, relevant) for _, row, relevant in queries]
        # a pair's collaborative features read the query movie's lists alone (the judged
        # queries' too in the first fold, whose features the judged labels take)
        asked = [row for row, _ in liked]
        if judged_features is None:
            asked += [row for row, _ in judged]
        cf = collaborative(rest_ratings, np.unique(np.asarray(asked, np.int64)))
        co = co_liked(rest_ratings)
        features = catalogue_features.with_ratings(cf, co[:2], co[2])
        if liked:
            user_parts.append(R.labelled(features, catalog, liked, sources(cf[0])[0], params))
        validation_queries += len(liked)
        validation_users |= fold
        if judged_features is None:  # the judged labels' features: the first fold's
            fit_users = rest
            judged_features = (features, sources(cf[0], fans_neighbours_without_own)[0])
    if judged_features is None:  # no ratings: no collaborative feature
        judged_features = (catalogue_features, sources(none[0], fans_neighbours_without_own)[0])
    without_own = copy.copy(judged_features[0])
    without_own.fans_left_out = own_list
    parts = [R.labelled(without_own, catalog, judged, judged_features[1], params)]
    shares = [params.judged_weight]
    if user_parts:
        shared = [1.0 / len(user_parts)] * len(user_parts)
        parts.append(R.TrainingSet.concat(user_parts, shared))
        shares.append(1.0 - params.judged_weight)
    data = R.TrainingSet.concat(parts, shares)
    learned = int(data.y.sum()) >= MIN_POSITIVES and not data.y.all()
    if learned:
        hybrid_model = R.fit_ranker(data, params)
        content_shares = [params.content_judged_weight, 1.0 - params.content_judged_weight]
        content_data = R.TrainingSet.concat(parts, content_shares[: len(parts)])
        content_model = R.fit_ranker(content_data, params, drop=COLLABORATIVE_FEATURES)
    else:  # nothing to learn from (a tiny or synthetic catalogue): the fixed prior
        hybrid_model = R.PriorRanker()
        content_model = R.PriorRanker(drop=COLLABORATIVE_FEATURES)
    # the fans' question alone: the judged labels, every feature
    similar_model: R.Ranker | None = None
    if int(parts[0].y.sum()) >= MIN_POSITIVES and not parts[0].y.all():
        similar_model = R.fit_ranker(R.TrainingSet.concat(parts[:1], [1.0]), params)

    # the served co-liked feature from as many users as the trained one saw (all of them at
    # ratings_small's size): the same scale, and a bounded cost with the full ratings.csv
    served_users = _sample(set(np.unique(users).tolist()), params.max_fit_users, params.seed)
    in_served = np.isin(users, np.fromiter(served_users, np.int64, len(served_users)))
    all_co = co_liked(tuple(column[in_served] for column in ratings))
    served = catalogue_features.with_ratings(cf_lists, all_co[:2], all_co[2])
    served_sources = sources(cf_lists[0])
    models: list[R.Ranker] = [hybrid_model, content_model]
    if similar_model is not None:
        models.append(similar_model)
        served_sources.append(served_sources[0])  # the hybrid's candidates
    hybrid, content_lists, *similar_lists = R.rank_all(
        catalog,
        served,
        models,
        served_sources,
        params,
        width,
        [EXPLAINED_PAIRS, 0, 0][: len(models)],  # the other lists' reasons: when asked
        progress,
    )
    report = {
        "kind": "LightGBM lambdarank over pair features (recommend/ranker.py)"
        if learned
        else "fixed prior over pair features (no labels in this catalogue)",
        "features": list(R.FEATURES),
        "params": asdict(params),
        "training_pairs": {
            "judged": len(parts[0].y),
            "judged_positive": int(parts[0].y.sum()),
            "users": len(parts[1].y) if user_parts else 0,
            "users_positive": int(parts[1].y.sum()) if user_parts else 0,
        },
        "judged_queries": len(judged),
        "similar": "LightGBM lambdarank on the judged labels alone, every feature"
        if similar_model is not None
        else "none (too few judged labels): the content lists answer",
        "rating_users": {"fit": len(fit_users), "validation": len(validation_users)},
        "validation_queries": validation_queries,
        "importance": hybrid_model.importance(),
    }
    near = near_stories(text, hybrid.rows, text_known, text_similarities, EXPLAINED_PAIRS)
    head = np.asarray(hybrid.rows, np.int64)
    listed = head >= 0
    named = np.zeros(head.shape, bool)
    movie = np.broadcast_to(np.arange(n)[:, None], head.shape)
    named[listed] = fans.pairs(movie[listed], head[listed])[0] > 0
    return Blend(
        hybrid,
        content_lists,
        hybrid_model,
        content_model,
        report,
        near,
        similar_lists[0] if similar_lists else None,
        similar_model,
        named,
    )
