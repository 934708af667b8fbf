"""Offline evaluation against real users' tastes, with held-out users.

Protocol (docs/evaluation.md):
- users are split by a seed into train (80%) and test (20%); a validation slice of the train
  users (20% of them) is used to tune the blend weights. Only train users' ratings ever train
  the collaborative part that is evaluated on test users;
- for an evaluation user, the liked set is the movies rated >= 4 that are in the catalogue;
  up to `queries_per_user` query movies are drawn from it (seeded), the rest is relevant;
- each recommender returns k movies for a query movie (never the query itself);
- taste profiles (`POST /api/v1/recommendations`): each test user's query movies together,
  their other likes relevant; and seeded pairs and triples of judged test queries, what is
  judged similar to any of them relevant, with the share of the profile's movies that have
  one of their own judged films in the list;
- hit rate, precision and nDCG @k are averaged over queries; coverage is the share of the
  catalogue recommended for a fixed seeded sample of query movies; diversity is the mean
  intra-list genre distance; the hub share is the part of the test queries' lists held by
  the `hubs` films that fill the most places (the same famous films whatever the query);
- the targets carry a seeded bootstrap interval (BCa, scipy): over the judged test queries
  for judged precision, over the test users (each with all their queries, paired between the
  two recommenders) for the nDCG ratios, so a gap to a target can be told from noise.
"""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Callable, Hashable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import scipy.sparse as sp
import scipy.stats
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from cinerec.catalog.arrays import load_array, scalars
from cinerec.progress import Progress, SilentProgress
from cinerec.recommend.collaborative import interaction_matrix, item_neighbours
from cinerec.recommend.judged import JudgedQuery, judged_profiles, judged_queries
from cinerec.recommend.metrics import (
    METRICS,
    catalog_coverage,
    hub_share,
    intra_list_diversity,
    judged_precision_at_k,
    members_represented,
    popularity_percentile,
)
from cinerec.recommend.model import (
    HybridRecommender,
    RecommenderIndex,
    RecommenderParams,
    content_neighbours,
)
from cinerec.recommend.splits import make_queries, split_users, user_profiles
from cinerec.store import INDEX, TABLES

Recommend = Callable[[int, int], list[int]]
RecommendProfile = Callable[[list[int], int], list[int]]
PROFILE_SIZES = (2, 3)


@dataclass
class EvaluationConfig:
    k: int = 10
    seed: int = 0
    test_share: float = 0.2
    validation_share: float = 0.2
    queries_per_user: int = 5
    coverage_sample: int = 5000
    hubs: int = 50  # hub_share: the films that fill the most places of the test queries' lists
    profiles_per_size: int = 200  # judged taste profiles drawn of 2 and of 3 movies each
    bootstrap_resamples: int = 2000  # the targets' intervals
    interval_level: float = 0.95


@dataclass
class Ratings:
    users: np.ndarray[Any, Any]
    rows: np.ndarray[Any, Any]
    values: np.ndarray[Any, Any]
    timestamps: np.ndarray[Any, Any] | None = None  # None: the file has none

    def subset(self, mask: np.ndarray[Any, Any]) -> Ratings:
        stamps = None if self.timestamps is None else self.timestamps[mask]
        return Ratings(self.users[mask], self.rows[mask], self.values[mask], stamps)

    def as_tuple(self) -> tuple[np.ndarray[Any, Any], ...]:
        if self.timestamps is None:
            return self.users, self.rows, self.values
        return self.users, self.rows, self.values, self.timestamps


def read_ratings(ratings_csv: Path, links_csv: Path, ids: np.ndarray[Any, Any]) -> Ratings:
    """MovieLens ratings mapped to catalogue rows through the links file."""
    read = {"convert_options": pacsv.ConvertOptions(strings_can_be_null=True)}
    links = pacsv.read_csv(links_csv, **read).select(["movieId", "tmdbId"])
    ml = np.asarray(links.column("movieId").to_numpy(zero_copy_only=False), np.float64)
    tmdb = np.asarray(
        links.column("tmdbId").cast(pa.float64()).to_numpy(zero_copy_only=False), np.float64
    )
    ok = ~np.isnan(tmdb) & ~np.isnan(ml)
    to_tmdb = dict(
        zip(ml[ok].astype(np.int64).tolist(), tmdb[ok].astype(np.int64).tolist(), strict=True)
    )
    ratings = pacsv.read_csv(ratings_csv, **read)
    users = np.asarray(ratings.column("userId").to_numpy(zero_copy_only=False), np.int64)
    movie = np.asarray(ratings.column("movieId").to_numpy(zero_copy_only=False), np.int64)
    values = np.asarray(ratings.column("rating").to_numpy(zero_copy_only=False), np.float64)
    timestamps = (
        np.asarray(
            ratings.column("timestamp").fill_null(0).to_numpy(zero_copy_only=False), np.int64
        )
        if "timestamp" in ratings.column_names
        else None
    )
    tmdb_ids = np.fromiter((to_tmdb.get(m, -1) for m in movie.tolist()), np.int64, len(movie))
    rows = np.searchsorted(ids, tmdb_ids).clip(0, len(ids) - 1)
    found = (ids[rows] == tmdb_ids) & (tmdb_ids >= 0)
    return Ratings(
        users[found],
        rows[found].astype(np.int64),
        values[found],
        None if timestamps is None else timestamps[found],
    )


def query_values(
    recommend: Recommend, queries: list[tuple[int, int, frozenset[int]]], k: int
) -> dict[str, np.ndarray[Any, Any]]:
    """Each metric's value for each query, in the order of `queries`."""
    values = {name: np.zeros(len(queries)) for name in METRICS}
    for i, (_user, query, relevant) in enumerate(queries):
        recommended = recommend(query, k)
        for name, metric in METRICS.items():
            values[name][i] = metric(recommended, relevant, k)
    return values


def mean_or_zero(values: np.ndarray[Any, Any]) -> float:
    """The mean of per-query values; 0 when there is no query."""
    return float(values.mean()) if len(values) else 0.0


def bootstrap_interval(
    samples: tuple[np.ndarray[Any, Any], ...],
    statistic: Callable[..., Any],
    resamples: int,
    level: float,
    seed: int,
) -> tuple[float, float]:
    """A BCa bootstrap interval of `statistic` (vectorized, `axis` keyword) over paired
    samples: the same units drawn for every array. A sample without spread (or too short to
    resample) has no spread to show: the interval is the statistic itself."""
    point = float(statistic(*samples, axis=-1))
    if len(samples[0]) < 3 or all(np.ptp(s) == 0 for s in samples):
        return point, point
    with warnings.catch_warnings():  # a degenerate distribution is handled below
        warnings.simplefilter("ignore", scipy.stats.DegenerateDataWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        result = scipy.stats.bootstrap(
            samples,
            statistic,
            paired=True,
            vectorized=True,
            n_resamples=resamples,
            confidence_level=level,
            method="BCa",
            random_state=np.random.default_rng(seed),
        )
    low, high = float(result.confidence_interval.low), float(result.confidence_interval.high)
    if not (np.isfinite(low) and np.isfinite(high)):  # a degenerate resample distribution
        return point, point
    return low, high


def _mean(values: np.ndarray[Any, Any], axis: int = -1) -> Any:
    return np.mean(values, axis=axis)


def _ratio_of_sums(
    numerator: np.ndarray[Any, Any], denominator: np.ndarray[Any, Any], axis: int = -1
) -> Any:
    total = np.sum(denominator, axis=axis)
    return np.sum(numerator, axis=axis) / np.where(total > 0, total, np.nan)


def per_user(
    values: np.ndarray[Any, Any], queries: list[tuple[int, int, frozenset[int]]]
) -> np.ndarray[Any, Any]:
    """Per-query values summed by user (a user's queries share their tastes: the unit a
    bootstrap draws is the user)."""
    _, user_index = np.unique(np.asarray([u for u, _, _ in queries], np.int64), return_inverse=True)
    return np.bincount(user_index, weights=values)


class CourseApproach:
    """The usual course recommender: TF-IDF of overviews, top 30 by cosine, sorted by vote average."""

    def __init__(self, overviews: list[str], vote_average: np.ndarray[Any, Any]) -> None:
        self.matrix = normalize(
            TfidfVectorizer(stop_words="english", dtype=np.float32).fit_transform(overviews)
        ).tocsr()
        self.matrix_t = sp.csr_matrix(self.matrix.T)
        self.vote_average = np.nan_to_num(vote_average)

    def __call__(self, row: int, k: int) -> list[int]:
        sims = np.asarray((self.matrix[row] @ self.matrix_t).toarray()).ravel()
        sims[row] = -1.0
        top = np.argpartition(-sims, 30)[:30]
        top = top[np.argsort(-sims[top], kind="stable")]
        top = top[np.argsort(-self.vote_average[top], kind="stable")]
        return [int(r) for r in top[:k]]


def _index_recommender(
    index: RecommenderIndex, strategy: str, weights: tuple[float, float, float] | None = None
) -> Recommend:
    def recommend(row: int, k: int) -> list[int]:
        return [s.row for s in index.recommend([row], k, strategy, weights=weights)]

    return recommend


def _profile_recommender(index: RecommenderIndex, strategy: str) -> RecommendProfile:
    def recommend(rows: list[int], k: int) -> list[int]:
        return [s.row for s in index.recommend(rows, k, strategy)]

    return recommend


def score_profiles(
    recommend: RecommendProfile,
    users: list[tuple[int, tuple[int, ...], frozenset[int]]],
    judged: list[tuple[JudgedQuery, ...]],
    k: int,
    hubs: int,
    percentile: dict[Hashable, float],
) -> dict[str, float]:
    """A profile recommender on the test users' profiles (their other likes) and on the
    judged profiles (what is judged similar to any of the movies, and whether each of them
    shows in the list)."""
    scores = dict.fromkeys(METRICS, 0.0)
    lists = []
    for _user, rows, relevant in users:
        recommended = recommend(list(rows), k)
        lists.append(recommended)
        for name, metric in METRICS.items():
            scores[name] += metric(recommended, relevant, k)
    out = {f"{name}@{k}": value / max(1, len(users)) for name, value in scores.items()}
    precision = represented = 0.0
    for profile in judged:
        recommended = recommend([q.row for q in profile], k)
        lists.append(recommended)
        union = frozenset().union(*(q.similar for q in profile))
        precision += judged_precision_at_k(recommended, union, k)
        represented += members_represented(recommended, [q.similar for q in profile], k)
    out[f"judged_precision@{k}"] = precision / max(1, len(judged))
    out[f"every_movie_shown@{k}"] = represented / max(1, len(judged))
    out[f"hub_share@{k}"] = hub_share(lists, hubs, k)
    out[f"popularity_percentile@{k}"] = float(
        np.mean([popularity_percentile(items, percentile, k) for items in lists]) if lists else 0.0
    )
    return out


def _similar_recommender(index: RecommenderIndex, title_key: np.ndarray[Any, Any]) -> Recommend:
    keys = scalars(title_key)

    def recommend(row: int, k: int) -> list[int]:
        return [s.row for s in index.similar(row, keys, k)]

    return recommend


def _percentiles(vote_count: np.ndarray[Any, Any]) -> dict[Hashable, float]:
    """Each movie's vote-count percentile in [0, 1] (ties share the lowest)."""
    order = np.argsort(vote_count, kind="stable")
    ranks = np.empty(len(vote_count), np.float64)
    ranks[order] = np.arange(len(vote_count))
    sorted_counts = vote_count[order]
    first = np.searchsorted(sorted_counts, vote_count, side="left")
    scale = max(len(vote_count) - 1, 1)
    return dict(enumerate((first / scale).tolist()))


def judged_values(
    recommend: Recommend, judged: list[JudgedQuery], k: int, *, first_round: bool = False
) -> np.ndarray[Any, Any]:
    """Judged precision@k of each judged query (against the first round's lists alone if
    asked, for the queries that have one)."""
    if first_round:
        judged = [q for q in judged if q.first]
    return np.asarray(
        [
            judged_precision_at_k(recommend(q.row, k), q.first if first_round else q.similar, k)
            for q in judged
        ],
        np.float64,
    )


def score_judged(
    recommend: Recommend, judged: list[JudgedQuery], k: int, *, first_round: bool = False
) -> float:
    """Mean judged precision@k over the judged queries (against the first round's lists
    alone if asked, over the queries that have one: the figure comparable with the stops
    before the lists and the set grew)."""
    return mean_or_zero(judged_values(recommend, judged, k, first_round=first_round))


RECOMMENDERS_BEFORE = "hybrid before (content + cosine blend, as served until now)"
RANDOM_DEPTH = 50  # the random list drawn per movie, sliced to any k
RECOMENDACION = "`/recomendacion` (the similar list, one movie per title)"
SIMILAR = "similar (learned on the judged set alone, `strategy=similar`)"


def evaluate(
    build_dir: Path,
    ratings_csv: Path,
    links_csv: Path,
    config: EvaluationConfig | None = None,
    params: RecommenderParams | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Run the whole protocol; return the report (also written as Markdown/JSON by the CLI).

    The recommender is trained on the train users only (its learned blend on a validation
    slice of them, and on the judged set's `fit` half); test users and the judged `test`
    half only measure.
    """
    config = config or EvaluationConfig()
    progress = progress or SilentProgress()
    started = time.perf_counter()
    movies = pq.read_table(
        build_dir / TABLES / "movies.parquet",
        columns=["id", "overview", "vote_average", "vote_count"],
    )
    ids = np.asarray(movies.column("id").to_numpy(), np.int64)
    n = len(ids)
    ratings = read_ratings(ratings_csv, links_csv, ids)
    train_users, test_users = split_users(ratings.users, config.test_share, config.seed)
    in_users = lambda users: np.isin(ratings.users, np.fromiter(users, np.int64, len(users)))  # noqa: E731
    train = ratings.subset(in_users(train_users))
    # the judged test half measures only: its lists are not read as fans' lists either
    params = params or RecommenderParams()
    params = replace(params, ranker=replace(params.ranker, fans_lists="fit"))
    base = HybridRecommender(params).fit(build_dir, progress, ratings=train.as_tuple())
    index = base.index()
    p = base.params
    cosine = item_neighbours(
        interaction_matrix(
            train.users, train.rows, train.values, n, p.like_threshold, p.disliked_weight
        ),
        p.k,
        p.cf_shrink,
    )
    before_params = RecommenderParams(
        content_weight=0.5, collaborative_weight=1.0, quality_weight=0.3
    )
    neighbours = content_neighbours(base.features_, p.k, p.chunk, progress)
    before = RecommenderIndex(
        neighbours[0],
        neighbours[1],
        cosine[0],
        cosine[1],
        base.weighted_rating_,
        before_params,
    )
    cosine_only = RecommenderIndex(
        index.content_rows, index.content_scores, cosine[0], cosine[1], base.weighted_rating_, p
    )
    test_queries = make_queries(ratings, test_users, config.queries_per_user, config.seed)
    course = CourseApproach(
        [o or "" for o in movies.column("overview").to_pylist()],
        np.asarray(movies.column("vote_average").to_numpy(zero_copy_only=False), np.float64),
    )

    def random_recommender(row: int, k: int) -> list[int]:
        # one list per movie (seeded by it), so every metric reads the same list
        size = min(n, max(k, RANDOM_DEPTH) + 1)
        picks = np.random.default_rng([config.seed, row]).choice(n, size=size, replace=False)
        return [int(r) for r in picks if r != row][:k]

    recommenders: dict[str, Recommend] = {
        "random": random_recommender,
        "popularity (weighted rating)": _index_recommender(index, "popular"),
        "course approach (TF-IDF overview, top 30 by vote average)": course,
        RECOMMENDERS_BEFORE: _index_recommender(before, "hybrid"),
        "content neighbours before (sparse blend + prior)": _index_recommender(
            before, "content", (1.0, 0.0, 0.3)
        ),
        "collaborative: item cosine": _index_recommender(cosine_only, "collaborative"),
        "collaborative: RP3beta": _index_recommender(index, "collaborative"),
        "content-only (learned)": _index_recommender(index, "content"),
        SIMILAR: _index_recommender(index, "similar"),
        "hybrid (learned, served)": _index_recommender(index, "hybrid"),
        RECOMENDACION: _similar_recommender(
            index, load_array(build_dir / INDEX, "movies.title_key")
        ),
    }
    genres_table = pq.read_table(
        build_dir / TABLES / "genres.parquet", columns=["movie_id", "genre_id"]
    )
    genre_sets: dict[int, set[int]] = {}
    rows_of = np.searchsorted(ids, np.asarray(genres_table.column("movie_id").to_numpy(), np.int64))
    for row, genre in zip(
        rows_of.tolist(), genres_table.column("genre_id").to_pylist(), strict=True
    ):
        genre_sets.setdefault(row, set()).add(genre)
    frozen: dict[Hashable, frozenset[Hashable]] = {r: frozenset(g) for r, g in genre_sets.items()}
    coverage_rows = np.random.default_rng(config.seed + 2).choice(
        n, size=min(n, config.coverage_sample), replace=False
    )
    judged_test = judged_queries(ids, "test")
    percentile = _percentiles(
        np.nan_to_num(
            np.asarray(movies.column("vote_count").to_numpy(zero_copy_only=False), np.float64)
        )
    )
    k = config.k
    results: dict[str, dict[str, float]] = {}
    ndcg_values: dict[str, np.ndarray[Any, Any]] = {}  # per test query, for the intervals
    judged_at: dict[tuple[str, int], np.ndarray[Any, Any]] = {}  # per judged test query
    progress.start(len(recommenders), "evaluating recommenders")
    try:
        for name, recommend in recommenders.items():
            values = query_values(recommend, test_queries, k)
            scores = {f"{metric}@{k}": mean_or_zero(v) for metric, v in values.items()}
            ndcg_values[name] = values["ndcg"]
            query_lists = {q: recommend(q, k) for q in {q for _, q, _ in test_queries}}
            distinct = {r for items in query_lists.values() for r in items}
            scores[f"query_movies_recommended@{k}"] = float(len(distinct))
            scores[f"hub_share@{k}"] = hub_share(query_lists.values(), config.hubs, k)
            lists = [recommend(int(r), k) for r in coverage_rows]
            scores[f"coverage@{k}"] = catalog_coverage(lists, n)
            scores[f"diversity@{k}"] = float(
                np.mean([intra_list_diversity(items, frozen) for items in lists if items])
            )
            for depth in (k, 5):
                judged_at[name, depth] = judged_values(recommend, judged_test, depth)
                scores[f"judged_precision@{depth}"] = mean_or_zero(judged_at[name, depth])
            scores[f"judged_first_round_precision@{k}"] = score_judged(
                recommend, judged_test, k, first_round=True
            )
            scores["judged_first_round_precision@5"] = score_judged(
                recommend, judged_test, 5, first_round=True
            )
            scores[f"popularity_percentile@{k}"] = float(
                np.mean(
                    [popularity_percentile(items, percentile, k) for items in query_lists.values()]
                )
            )
            results[name] = scores
            progress.advance(name)
    finally:
        progress.finish()
    profile_recommenders: dict[str, RecommendProfile] = {
        "popularity (weighted rating)": _profile_recommender(index, "popular"),
        RECOMMENDERS_BEFORE: _profile_recommender(before, "hybrid"),
        "content-only (learned)": _profile_recommender(index, "content"),
        SIMILAR: _profile_recommender(index, "similar"),
        "hybrid (learned, served)": _profile_recommender(index, "hybrid"),
    }
    users = user_profiles(test_queries)
    profiles = judged_profiles(judged_test, PROFILE_SIZES, config.profiles_per_size, config.seed)
    profile_results = {
        name: score_profiles(recommend, users, profiles, k, config.hubs, percentile)
        for name, recommend in profile_recommenders.items()
    }
    ndcg = f"ndcg@{k}"
    hybrid = results["hybrid (learned, served)"]
    pop = results["popularity (weighted rating)"][ndcg]
    course_ndcg = results["course approach (TF-IDF overview, top 30 by vote average)"][ndcg]
    ratio = lambda a, b: round(a / b, 3) if b > 0 else None  # noqa: E731
    distinct_key = f"query_movies_recommended@{k}"

    def interval(
        *samples: np.ndarray[Any, Any], statistic: Callable[..., Any]
    ) -> list[float] | None:
        if not len(samples[0]):
            return None
        low, high = bootstrap_interval(
            samples, statistic, config.bootstrap_resamples, config.interval_level, config.seed
        )
        if not (np.isfinite(low) and np.isfinite(high)):  # a ratio over nothing: no figure
            return None
        return [round(low, 3), round(high, 3)]

    def users_ratio(numerator: str, denominator: str) -> list[float] | None:
        return interval(
            per_user(ndcg_values[numerator], test_queries),
            per_user(ndcg_values[denominator], test_queries),
            statistic=_ratio_of_sums,
        )

    return {
        "config": asdict(config),
        "params": asdict(base.params),
        "data": {
            "movies": n,
            "ratings_in_catalogue": len(ratings.values),
            "users": len(np.unique(ratings.users)),
            "train_users": len(train_users),
            "test_users": len(test_users),
            "test_queries": len(test_queries),
            "test_query_movies": len({q for _, q, _ in test_queries}),
            "judged_test_queries": len(judged_test),
            "user_profiles": len(users),
            "judged_profiles": len(profiles),
        },
        "blend": base.blend_.report,
        "results": results,
        "profiles": profile_results,
        "targets": {
            "hybrid_judged_precision": {
                "value": round(hybrid[f"judged_precision@{k}"], 3),
                "interval": interval(judged_at["hybrid (learned, served)", k], statistic=_mean),
                "first_round": round(hybrid[f"judged_first_round_precision@{k}"], 3),
                "target": 0.6,
            },
            "top5_judged_precision": {
                "value": round(results[RECOMENDACION]["judged_precision@5"], 3),
                "interval": interval(judged_at[RECOMENDACION, 5], statistic=_mean),
                "first_round": round(results[RECOMENDACION]["judged_first_round_precision@5"], 3),
                "target": 0.6,
            },
            "hybrid_vs_popularity": {
                "ratio": ratio(hybrid[ndcg], pop),
                "interval": users_ratio("hybrid (learned, served)", "popularity (weighted rating)"),
                "target": 1.5,
            },
            "distinct_vs_before": {
                "ratio": ratio(hybrid[distinct_key], results[RECOMMENDERS_BEFORE][distinct_key]),
                "target": 2.0,
            },
            "content_vs_course": {
                "ratio": ratio(results["content-only (learned)"][ndcg], course_ndcg),
                "interval": users_ratio(
                    "content-only (learned)",
                    "course approach (TF-IDF overview, top 30 by vote average)",
                ),
                "target": 3.0,
            },
        },
        "seconds": round(time.perf_counter() - started, 1),
    }


def _table(results: dict[str, dict[str, float]]) -> list[str]:
    columns = list(next(iter(results.values())))
    lines = [
        "| recommender | " + " | ".join(columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for name, scores in results.items():
        cells = [
            f"{int(v)}" if c.startswith("query_movies") else f"{v:.4f}" for c, v in scores.items()
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def report_markdown(report: dict[str, Any], command: str) -> str:
    k = report["config"]["k"]
    lines = _table(report["results"])
    targets = report["targets"]
    data = report["data"]
    labels = {
        "hybrid_judged_precision": f"hybrid judged precision@{k}",
        "top5_judged_precision": "judged precision@5 of `/recomendacion`'s five",
        "hybrid_vs_popularity": "hybrid nDCG / popularity nDCG",
        "distinct_vs_before": "distinct movies recommended for the test queries / before",
        "content_vs_course": "content-only nDCG / course nDCG",
    }
    level = round(100 * report["config"].get("interval_level", 0.95))
    target_lines = [
        f"| {labels[name]} | {t.get('value', t.get('ratio'))}"
        + (
            f" ({level}% interval {t['interval'][0]:.3f}–{t['interval'][1]:.3f})"
            if t.get("interval")
            else ""
        )
        + (f" (first round's lists: {t['first_round']})" if "first_round" in t else "")
        + f" | ≥ {t['target']} |"
        for name, t in targets.items()
    ]
    return "\n".join(
        [
            f"Command: `{command}`",
            "",
            f"Data: {data['movies']} movies, {data['ratings_in_catalogue']} ratings of "
            f"{data['users']} users in the catalogue; {data['train_users']} train users, "
            f"{data['test_users']} test users, {data['test_queries']} test queries on "
            f"{data['test_query_movies']} movies; {data['judged_test_queries']} judged test "
            f"queries. k = {k}.",
            "",
            *lines,
            "",
            f"Taste profiles: {data['user_profiles']} test users' query movies together, "
            f"{data['judged_profiles']} seeded pairs and triples of judged test queries.",
            "",
            *_table(report["profiles"]),
            "",
            "| target | measured | wanted |",
            "|---|---|---|",
            *target_lines,
            "",
            f"({report['seconds']} s)",
        ]
    )


def write_report(report: dict[str, Any], out_dir: Path, command: str) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path = out_dir / "evaluation.json"
    md_path = out_dir / "evaluation.md"
    json_path.write_text(json.dumps(report, indent=2), "utf-8")
    md_path.write_text(report_markdown(report, command) + "\n", "utf-8")
    return md_path, json_path
