"""Offline evaluation against real users' tastes, with held-out users.

Protocol (docs/evaluation.md):
- users are split by a seed into train (80%) and test (20%); a validation slice of the train
  users (20% of them) is used to tune the blend weights. Only train users' ratings ever train
  the collaborative part that is evaluated on test users;
- for an evaluation user, the liked set is the movies rated >= 4 that are in the catalogue;
  up to `queries_per_user` query movies are drawn from it (seeded), the rest is relevant;
- each recommender returns k movies for a query movie (never the query itself);
- hit rate, precision and nDCG @k are averaged over queries; coverage is the share of the
  catalogue recommended for a fixed seeded sample of query movies; diversity is the mean
  intra-list genre distance.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Hashable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from cinerec.progress import Progress, SilentProgress
from cinerec.recommend.metrics import METRICS, catalog_coverage, intra_list_diversity
from cinerec.recommend.model import (
    HybridRecommender,
    RecommenderIndex,
    RecommenderParams,
    fit_collaborative,
)
from cinerec.store import TABLES

Recommend = Callable[[int, int], list[int]]

LIKE = 4.0


@dataclass
class EvaluationConfig:
    k: int = 10
    seed: int = 0
    test_share: float = 0.2
    validation_share: float = 0.2
    queries_per_user: int = 5
    coverage_sample: int = 5000
    weight_grid: dict[str, list[float]] = field(
        default_factory=lambda: {
            "content": [0.1, 0.25, 0.5, 1.0],
            "collaborative": [1.0],
            "quality": [0.0, 0.15, 0.3, 0.45, 0.6, 0.75],
        }
    )


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


def split_users(users: np.ndarray[Any, Any], share: float, seed: int) -> tuple[set[int], set[int]]:
    unique = np.unique(users)
    rng = np.random.default_rng(seed)
    shuffled = rng.permutation(unique)
    n_test = max(1, round(len(unique) * share))
    return set(shuffled[n_test:].tolist()), set(shuffled[:n_test].tolist())


def make_queries(
    ratings: Ratings, users: set[int], per_user: int, seed: int
) -> list[tuple[int, int, frozenset[int]]]:
    """(user, query row, relevant rows) for each evaluation user with >= 2 liked movies."""
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


def score_queries(
    recommend: Recommend, queries: list[tuple[int, int, frozenset[int]]], k: int
) -> dict[str, float]:
    totals = dict.fromkeys(METRICS, 0.0)
    for _user, query, relevant in queries:
        recommended = recommend(query, k)
        for name, metric in METRICS.items():
            totals[name] += metric(recommended, relevant, k)
    return {f"{name}@{k}": value / max(1, len(queries)) for name, value in totals.items()}


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


def _fit_cf(
    base: HybridRecommender, ratings: Ratings, n: int
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    return fit_collaborative(base.params, ratings.as_tuple(), n)


def _with_cf(
    base: HybridRecommender, cf: tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]
) -> RecommenderIndex:
    return RecommenderIndex(
        content_rows=base.content_rows_,
        content_scores=base.content_scores_,
        cf_rows=cf[0],
        cf_scores=cf[1],
        weighted_rating=base.weighted_rating_,
        params=base.params,
    )


def evaluate(
    build_dir: Path,
    ratings_csv: Path,
    links_csv: Path,
    config: EvaluationConfig | None = None,
    params: RecommenderParams | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Run the whole protocol; return the report (also written as Markdown/JSON by the CLI)."""
    config = config or EvaluationConfig()
    progress = progress or SilentProgress()
    started = time.perf_counter()
    base = HybridRecommender(params).fit(
        build_dir, progress, ratings=(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    )
    ids = base.ids_
    n = len(ids)
    ratings = read_ratings(ratings_csv, links_csv, ids)
    train_users, test_users = split_users(ratings.users, config.test_share, config.seed)
    fit_users, validation_users = split_users(
        np.fromiter(train_users, np.int64, len(train_users)),
        config.validation_share,
        config.seed + 1,
    )
    in_users = lambda users: np.isin(ratings.users, np.fromiter(users, np.int64, len(users)))  # noqa: E731

    # tuning: collaborative part from fit users, scored on validation users
    validation_queries = make_queries(
        ratings, validation_users, config.queries_per_user, config.seed
    )
    tuning_index = _with_cf(base, _fit_cf(base, ratings.subset(in_users(fit_users)), n))
    tuning = []
    grid = config.weight_grid
    for wc, wf, wq in itertools.product(grid["content"], grid["collaborative"], grid["quality"]):
        scores = score_queries(
            _index_recommender(tuning_index, "hybrid", (wc, wf, wq)), validation_queries, config.k
        )
        tuning.append({"content": wc, "collaborative": wf, "quality": wq, **scores})
    best = max(tuning, key=lambda r: r[f"ndcg@{config.k}"])
    weights = (best["content"], best["collaborative"], best["quality"])
    content_tuning = []
    for wq in grid["quality"]:
        scores = score_queries(
            _index_recommender(tuning_index, "content", (1.0, 0.0, wq)),
            validation_queries,
            config.k,
        )
        content_tuning.append({"quality": wq, **scores})
    content_quality = max(content_tuning, key=lambda r: r[f"ndcg@{config.k}"])["quality"]

    # final: collaborative part from all train users, scored on test users
    test_queries = make_queries(ratings, test_users, config.queries_per_user, config.seed)
    index = _with_cf(base, _fit_cf(base, ratings.subset(in_users(train_users)), n))
    movies = pq.read_table(
        build_dir / TABLES / "movies.parquet", columns=["overview", "vote_average"]
    )
    course = CourseApproach(
        [o or "" for o in movies.column("overview").to_pylist()],
        np.asarray(movies.column("vote_average").to_numpy(zero_copy_only=False), np.float64),
    )
    rng = np.random.default_rng(config.seed)

    def random_recommender(row: int, k: int) -> list[int]:
        picks = rng.choice(n, size=min(n, k + 1), replace=False)
        return [int(r) for r in picks if r != row][:k]

    recommenders: dict[str, Recommend] = {
        "random": random_recommender,
        "popularity (weighted rating)": _index_recommender(index, "popular"),
        "course approach (TF-IDF overview, top 30 by vote average)": course,
        "content-only": _index_recommender(index, "content", (1.0, 0.0, content_quality)),
        "collaborative-only": _index_recommender(index, "collaborative", (0.0, 1.0, weights[2])),
        "hybrid": _index_recommender(index, "hybrid", weights),
        "hybrid (served weights)": _index_recommender(index, "hybrid"),
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
    results: dict[str, dict[str, float]] = {}
    progress.start(len(recommenders), "evaluating recommenders")
    try:
        for name, recommend in recommenders.items():
            scores = score_queries(recommend, test_queries, config.k)
            lists = [recommend(int(r), config.k) for r in coverage_rows]
            scores[f"coverage@{config.k}"] = catalog_coverage(lists, n)
            scores[f"diversity@{config.k}"] = float(
                np.mean([intra_list_diversity(items, frozen) for items in lists if items])
            )
            results[name] = scores
            progress.advance(name)
    finally:
        progress.finish()
    ndcg = f"ndcg@{config.k}"
    hybrid, pop = results["hybrid"][ndcg], results["popularity (weighted rating)"][ndcg]
    course_ndcg = results["course approach (TF-IDF overview, top 30 by vote average)"][ndcg]
    content = results["content-only"][ndcg]
    ratio = lambda a, b: round(a / b, 3) if b > 0 else None  # noqa: E731
    return {
        "config": asdict(config),
        "params": asdict(base.params),
        "data": {
            "movies": n,
            "ratings_in_catalogue": len(ratings.values),
            "users": len(np.unique(ratings.users)),
            "train_users": len(train_users),
            "test_users": len(test_users),
            "validation_users": len(validation_users),
            "test_queries": len(test_queries),
            "validation_queries": len(validation_queries),
        },
        "tuned_weights": {
            "content": weights[0],
            "collaborative": weights[1],
            "quality": weights[2],
        },
        "content_only_quality": content_quality,
        "tuning": tuning,
        "content_tuning": content_tuning,
        "results": results,
        "targets": {
            "hybrid_vs_popularity": {"ratio": ratio(hybrid, pop), "target": 1.3},
            "hybrid_vs_course": {"ratio": ratio(hybrid, course_ndcg), "target": 4.0},
            "content_vs_course": {"ratio": ratio(content, course_ndcg), "target": 2.0},
            "hybrid_coverage": {"value": results["hybrid"][f"coverage@{config.k}"], "target": 0.10},
            "served_hybrid_vs_popularity": {
                "ratio": ratio(results["hybrid (served weights)"][ndcg], pop),
                "target": 1.3,
            },
        },
        "seconds": round(time.perf_counter() - started, 1),
    }


def report_markdown(report: dict[str, Any], command: str) -> str:
    k = report["config"]["k"]
    lines = [
        "| recommender | "
        + " | ".join(f"{m}" for m in next(iter(report["results"].values())))
        + " |",
        "|---|" + "---|" * len(next(iter(report["results"].values()))),
    ]
    for name, scores in report["results"].items():
        lines.append(f"| {name} | " + " | ".join(f"{v:.4f}" for v in scores.values()) + " |")
    targets = report["targets"]
    data = report["data"]
    weights = report["tuned_weights"]
    return "\n".join(
        [
            f"Command: `{command}`",
            "",
            f"Data: {data['movies']} movies, {data['ratings_in_catalogue']} ratings of "
            f"{data['users']} users in the catalogue; {data['train_users']} train users "
            f"({data['validation_users']} of them for validation), {data['test_users']} test users, "
            f"{data['test_queries']} test queries. k = {k}.",
            "",
            *lines,
            "",
            f"Weights tuned on validation users: content {weights['content']}, "
            f"collaborative {weights['collaborative']}, quality {weights['quality']}. "
            f"Served weights: content {report['params']['content_weight']}, collaborative "
            f"{report['params']['collaborative_weight']}, quality {report['params']['quality_weight']}.",
            "",
            "| target | measured | wanted |",
            "|---|---|---|",
            f"| hybrid nDCG / popularity nDCG | {targets['hybrid_vs_popularity']['ratio']} | ≥ 1.3 |",
            f"| hybrid nDCG / course nDCG | {targets['hybrid_vs_course']['ratio']} | ≥ 4 |",
            f"| content nDCG / course nDCG | {targets['content_vs_course']['ratio']} | ≥ 2 |",
            f"| hybrid coverage | {targets['hybrid_coverage']['value']:.3f} | ≥ 0.10 |",
            f"| served hybrid nDCG / popularity nDCG | {targets['served_hybrid_vs_popularity']['ratio']} | ≥ 1.3 |",
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
