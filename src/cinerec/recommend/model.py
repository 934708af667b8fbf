"""The hybrid recommender: training (build time) and the served index (lookup + re-rank).

The estimator contract of scikit-learn: parameters are stored as given, `fit` writes learned
state to attributes ending in `_`, `save` moves that state to an artifact directory and
`RecommenderIndex` only reads it. Serving never needs scikit-learn, SciPy or torch.
"""

from __future__ import annotations

import functools
import json
import platform
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, cast

import numpy as np

from cinerec.catalog.arrays import load_array, save_array, scalars
from cinerec.progress import Progress, SilentProgress, progress_run
from cinerec.recommend.explain import Explanations, explain_ranked
from cinerec.recommend.ranker import RankerParams
from cinerec.recommend.rp3beta import Rp3betaParams

MODEL_MANIFEST = "model.json"
STRATEGIES = ("hybrid", "content", "similar", "collaborative", "popular")
LIST_STRATEGIES = ("content", "similar")  # one stored list each, read as it is
COLLABORATIVE = ("cosine", "rp3beta")
ENGINES = ("local", "spark")
POPULAR_LIST = 2000
RANKED = 50  # default hybrid recommendations stored per movie, best first (see `Ranked`)
SIMILAR_STRATEGY = "similar"  # the list `/recomendacion`'s five come from (`similar`)


@dataclass
class RecommenderParams:
    """Every knob of training and blending; recorded in the artifact manifest."""

    k: int = 50
    min_votes_quantile: float = 0.90  # m of the weighted rating, as a quantile of vote counts
    content_weight: float = 0.5  # see docs/evaluation.md for how these were chosen
    collaborative_weight: float = 1.0
    quality_weight: float = 0.3
    like_threshold: float = 4.0
    disliked_weight: float = 0.3
    cf_shrink: float = 10.0
    chunk: int = 512
    seed: int = 42
    feature_weights: dict[str, float] = field(default_factory=dict)
    # the collaborative signal: "cosine" (shrunk item–item cosine, with like_threshold,
    # disliked_weight, cf_shrink and k above) or "rp3beta" (every knob in `rp3beta`)
    collaborative: str = "rp3beta"
    rp3beta: Rp3betaParams = field(default_factory=Rp3betaParams)
    # the learned blend of the hybrid and content lists (recommend/blend.py)
    ranker: RankerParams = field(default_factory=RankerParams)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> RecommenderParams:
        """The parameters recorded in a manifest (`asdict`), back as objects."""
        from dataclasses import fields

        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in values.items() if k in known}  # knobs since retired
        values["rp3beta"] = Rp3betaParams(**values.get("rp3beta", {}))
        values["ranker"] = RankerParams(**values.get("ranker", {}))
        return cls(**values)


def fit_collaborative(
    params: RecommenderParams,
    ratings: tuple[np.ndarray[Any, Any], ...],
    n_items: int,
    progress: Progress | None = None,
    only: np.ndarray[Any, Any] | None = None,
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """The collaborative neighbour lists of the local engine, by `params.collaborative`.

    `ratings` = (user ids, catalogue rows, ratings[, timestamps]); `only`: the rows whose
    lists are needed (RP3beta walks from those alone; the others may stay empty).
    """
    from cinerec.recommend.collaborative import interaction_matrix, item_neighbours
    from cinerec.recommend.rp3beta import rp3beta_neighbours

    users, items, values = ratings[:3]
    if params.collaborative == "rp3beta":
        timestamps = ratings[3] if len(ratings) > 3 else None
        return rp3beta_neighbours(
            users, items, values, timestamps, n_items, params.rp3beta, progress, only
        )
    if params.collaborative != "cosine":
        raise ValueError(f"unknown collaborative signal {params.collaborative!r}")
    interactions = interaction_matrix(
        users, items, values, n_items, params.like_threshold, params.disliked_weight
    )
    return item_neighbours(interactions, params.k, params.cf_shrink)


def content_neighbours(
    features: Any, k: int, chunk: int = 512, progress: Progress | None = None
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Each movie's k nearest by the cosine of its content vectors (`features.build_features`)
    over the whole catalogue — the content list served before the learned blend, kept for
    the evaluation's comparison."""
    from cinerec.recommend.neighbours import top_k_rows

    sparse, dense = features.sparse, features.dense
    n = sparse.shape[0]
    sq = np.asarray(sparse.multiply(sparse).sum(axis=1)).ravel() + (dense * dense).sum(axis=1)
    norms = np.sqrt(np.maximum(sq, 1e-12)).astype(np.float32)
    sparse_t = sparse.T.tocsr()
    dense_t = np.ascontiguousarray(dense.T)

    def block(start: int, stop: int) -> np.ndarray[Any, Any]:
        sims = np.asarray((sparse[start:stop] @ sparse_t).toarray(), dtype=np.float32)
        sims += dense[start:stop] @ dense_t
        sims /= norms[start:stop, None] * norms[None, :]
        return sims

    return top_k_rows(block, n, k, chunk, progress, "content neighbours")


def weighted_rating(
    vote_average: np.ndarray[Any, Any], vote_count: np.ndarray[Any, Any], m: float
) -> np.ndarray[Any, Any]:
    """IMDB's formula v/(v+m)·R + m/(v+m)·C: a 9.0 from 3 votes does not beat 8.3 from 20k."""
    r = np.nan_to_num(np.asarray(vote_average, np.float64), nan=0.0)
    v = np.nan_to_num(np.asarray(vote_count, np.float64), nan=0.0)
    voted = v > 0
    c = float(np.average(r[voted], weights=v[voted])) if voted.any() else 0.0
    if m <= 0:
        return r
    return np.asarray((v / (v + m)) * r + (m / (v + m)) * c, np.float64)


class HybridRecommender:
    """Content neighbours + co-liked neighbours + a quality prior, precomputed per movie."""

    def __init__(self, params: RecommenderParams | None = None) -> None:
        self.params = params or RecommenderParams()

    def fit(
        self,
        build_dir: Path,
        progress: Progress | None = None,
        ratings: tuple[np.ndarray[Any, Any], ...] | None = None,
        engine: str = "local",
        spark_master: str = "local[*]",
    ) -> HybridRecommender:
        """Learn from the catalogue tables of `build_dir`.

        `ratings` = (user ids, movie rows, ratings[, timestamps]) overrides the catalogue's
        ratings table, so evaluation can train the collaborative part on its training users
        only. `engine` computes the collaborative lists: "local" (this process) or "spark"
        (RP3beta as a Spark job on `spark_master`, reading the catalogue's Parquet tables);
        both give the same lists, so the artifacts do not depend on it.
        """
        import pyarrow.parquet as pq

        from cinerec.recommend.features import build_features
        from cinerec.store import TABLES

        started = time.perf_counter()
        progress = progress or SilentProgress()
        p = self.params
        features = build_features(build_dir, p.feature_weights, progress)
        n = features.sparse.shape[0]
        # the learned blend finds its own content candidates (`blend`)
        self.content_rows_ = np.full((n, 0), -1, np.int32)
        self.content_scores_ = np.zeros((n, 0), np.float32)

        if engine not in ENGINES:
            raise ValueError(f"unknown engine {engine!r}")
        if engine == "spark" and (ratings is not None or p.collaborative != "rp3beta"):
            raise ValueError("the Spark engine trains RP3beta from the catalogue's ratings")
        if ratings is None:
            ratings = _catalog_ratings(build_dir, features.ids)
        users = ratings[0]
        cf_started = time.perf_counter()
        if len(users) and engine == "spark":
            from cinerec.recommend.spark_engine import spark_rp3beta_neighbours

            tables = str((build_dir / TABLES).resolve())
            with progress_run(progress, 1, f"RP3beta on Spark ({spark_master})"):
                self.cf_rows_, self.cf_scores_ = spark_rp3beta_neighbours(
                    tables, n, p.rp3beta, spark_master
                )
                progress.advance("RP3beta on Spark: done")
            self.cf_users_ = len(np.unique(users))
        elif len(users):
            self.cf_rows_, self.cf_scores_ = fit_collaborative(p, ratings, n, progress)
            self.cf_users_ = len(np.unique(users))
        else:
            self.cf_rows_ = np.full((n, 0), -1, dtype=np.int32)
            self.cf_scores_ = np.zeros((n, 0), dtype=np.float32)
            self.cf_users_ = 0
        self.cf_seconds_ = time.perf_counter() - cf_started
        self.cf_engine_ = {
            "engine": engine,
            **({"master": spark_master} if engine == "spark" else {}),
        }

        movies = pq.read_table(
            build_dir / TABLES / "movies.parquet", columns=["vote_average", "vote_count"]
        )
        count = np.nan_to_num(
            np.asarray(movies.column("vote_count").to_numpy(zero_copy_only=False), np.float64)
        )
        average = np.asarray(
            movies.column("vote_average").to_numpy(zero_copy_only=False), np.float64
        )
        voted = count[count > 0]
        self.min_votes_ = float(np.quantile(voted, p.min_votes_quantile)) if len(voted) else 0.0
        self.weighted_rating_ = weighted_rating(average, count, self.min_votes_).astype(np.float32)
        self._learn_blend(build_dir, features, ratings, progress)
        self.ids_ = features.ids
        self.build_dir_ = build_dir  # its catalogue index gives `Ranked.shared` when saving
        self.fit_seconds_ = time.perf_counter() - started
        return self

    def _learn_blend(
        self,
        build_dir: Path,
        features: Any,
        ratings: tuple[np.ndarray[Any, Any], ...],
        progress: Progress,
    ) -> None:
        """The learned hybrid and content lists (`blend.learn_blend`); the content lists
        replace the raw content neighbours (they were the blend's candidates)."""
        from cinerec.catalog.loaded import Catalog
        from cinerec.recommend.blend import learn_blend
        from cinerec.recommend.ranker import text_vectors

        catalog = Catalog(build_dir)
        wr = self.weighted_rating_
        low, high = (float(wr.min()), float(wr.max())) if len(wr) else (0.0, 1.0)
        quality = ((wr - low) / (high - low) if high > low else np.zeros_like(wr)).astype(
            np.float32
        )
        n = len(catalog)
        blend = learn_blend(
            catalog,
            features,
            text_vectors(build_dir, n),
            quality,
            ratings,
            lambda subset, only: fit_collaborative(self.params, subset, n, only=only),
            (self.cf_rows_, self.cf_scores_),
            self.params.ranker,
            RANKED,
            progress,
        )
        self.blend_ = blend
        self.features_ = features  # for evaluation's comparisons; not saved
        self.content_rows_ = blend.content.rows
        self.content_scores_ = blend.content.scores
        # no similar model (too few judged labels): the content lists answer for it
        similar = blend.similar or blend.content
        self.similar_rows_, self.similar_scores_ = similar.rows, similar.scores
        self.ranked_ = _ranked_from(
            catalog, blend.hybrid, self.cf_rows_, blend.near_story, blend.fans_named
        )

    def index(self) -> RecommenderIndex:
        """The served form, straight from memory (used by evaluation)."""
        return RecommenderIndex(
            content_rows=self.content_rows_,
            content_scores=self.content_scores_,
            similar_rows=self.similar_rows_,
            similar_scores=self.similar_scores_,
            cf_rows=self.cf_rows_,
            cf_scores=self.cf_scores_,
            weighted_rating=self.weighted_rating_,
            params=self.params,
            ranked=self.ranked_,
        )

    def save(self, directory: Path, extra: dict[str, Any] | None = None) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        content_scores = self.content_scores_.astype(np.float16)
        cf_scores = self.cf_scores_.astype(np.float16)
        save_array(directory, "ids", self.ids_)
        save_array(directory, "content_rows", self.content_rows_)
        save_array(directory, "content_scores", content_scores)
        save_array(directory, "similar_rows", self.similar_rows_)
        save_array(directory, "similar_scores", self.similar_scores_.astype(np.float16))
        save_array(directory, "cf_rows", self.cf_rows_)
        save_array(directory, "cf_scores", cf_scores)
        save_array(directory, "weighted_rating", self.weighted_rating_)
        from cinerec.catalog.loaded import Catalog
        from cinerec.recommend.blend import COLLABORATIVE_FEATURES

        catalog = Catalog(self.build_dir_)
        self.ranked_.save(directory)
        explain_ranked(catalog, self.ranked_.rows, self.ranked_.co_liked, self.ranked_.shared).save(
            directory
        )
        self.blend_.hybrid_model.save(directory / "ranker_hybrid.txt")
        self.blend_.content_model.save(directory / "ranker_content.txt")  # text: LightGBM's
        (directory / "ranker_content.json").write_text(
            json.dumps({"drop": list(COLLABORATIVE_FEATURES)}), "utf-8"
        )
        if self.blend_.similar_model is not None:
            self.blend_.similar_model.save(directory / "ranker_similar.txt")
        import lightgbm
        import numpy
        import scipy
        import sklearn

        manifest = {
            "model": "learned-blend-neighbours",
            "params": asdict(self.params),
            "min_votes": self.min_votes_,
            "movies": len(self.ids_),
            "collaborative_users": self.cf_users_,
            "movies_with_collaborative_neighbours": int((self.cf_rows_[:, :1] >= 0).sum())
            if self.cf_rows_.shape[1]
            else 0,
            "fit_seconds": round(self.fit_seconds_, 3),
            "collaborative": {
                "algorithm": self.params.collaborative,
                **self.cf_engine_,
                "seconds": round(self.cf_seconds_, 3),
            },
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "libraries": {
                "python": platform.python_version(),
                "numpy": numpy.__version__,
                "scipy": scipy.__version__,
                "scikit-learn": sklearn.__version__,
                "lightgbm": lightgbm.__version__,
            },
            "blend": self.blend_.report,
            **(extra or {}),
        }
        (directory / MODEL_MANIFEST).write_text(json.dumps(manifest, indent=2), "utf-8")


def _optional_array(directory: Path, name: str) -> np.ndarray[Any, Any] | None:
    """An artifact a build before it did not write (None then)."""
    return load_array(directory, name) if (directory / f"{name}.npy").is_file() else None


def _catalog_ratings(
    build_dir: Path, ids: np.ndarray[Any, Any]
) -> tuple[np.ndarray[Any, Any], ...]:
    import pyarrow.parquet as pq

    from cinerec.store import TABLES

    table = pq.read_table(build_dir / TABLES / "ratings.parquet")
    movie_ids = np.asarray(table.column("movie_id").to_numpy(zero_copy_only=False), np.int64)
    rows = np.searchsorted(ids, movie_ids)
    rows = np.clip(rows, 0, max(len(ids) - 1, 0))
    ok = (ids[rows] == movie_ids) if len(ids) else np.zeros(len(movie_ids), bool)
    users = np.asarray(table.column("user_id").to_numpy(zero_copy_only=False), np.int64)
    ratings = np.asarray(table.column("rating").to_numpy(zero_copy_only=False), np.float64)
    stamps = table.column("timestamp").fill_null(0)  # a missing timestamp counts as 0
    timestamps = np.asarray(stamps.to_numpy(zero_copy_only=False), np.int64)
    return users[ok], rows[ok].astype(np.int64), ratings[ok], timestamps[ok]


class Scored(NamedTuple):
    """A recommended row (a tuple: requests make many of these, a frozen dataclass costs 3x)."""

    row: int
    score: float
    co_liked: bool  # among the movie's collaborative neighbours (liked by the same viewers)
    shared: int | None = None  # `links` bits of what it shares with the query movie, if known
    ranked_at: int = -1  # its index in the flattened `Ranked` arrays, if it comes from them


# Scored from a tuple of its fields without a Python-level call (half the cost of Scored(...))
_scored = functools.partial(tuple.__new__, Scored)


@dataclass(frozen=True)
class Ranked:
    """Each movie's hybrid recommendations by the learned blend, best first (`blend`).

    Scored at training time, so a request is a slice of a row; a filter or an exclusion only
    drops candidates (scores are absolute: `top` is -1, nothing rescales them). A taste
    profile adds the rows of its movies (`RecommenderIndex.rescore`).
    """

    rows: np.ndarray[Any, Any]  # (n, RANKED) int32, -1 padded
    scores: np.ndarray[Any, Any]  # (n, RANKED) float32, the final score
    co_liked: np.ndarray[Any, Any]  # (n, RANKED) bool: among the collaborative neighbours
    shared: np.ndarray[Any, Any]  # (n, RANKED) uint16 bits of `links` (SAME_DIRECTOR, ...)
    count: np.ndarray[Any, Any]  # (n,) int32: the candidates stored
    top: np.ndarray[Any, Any]  # (n,) int32: -1 (no candidate scales the others)

    FILES = ("rows", "scores", "co_liked", "shared", "count", "top")

    def with_shared_content(self, catalog: Any) -> Ranked:
        """The same, with what each pair shares (`links.shared_content`)."""
        from cinerec.recommend.links import shared_content

        n, width = self.rows.shape
        source = np.repeat(np.arange(n), width)
        shared = shared_content(catalog, source, self.rows.reshape(-1)).reshape(n, width)
        return Ranked(self.rows, self.scores, self.co_liked, shared, self.count, self.top)

    def save(self, directory: Path) -> None:
        for name in self.FILES:
            save_array(directory, f"ranked_{name}", getattr(self, name))

    @classmethod
    def load(cls, directory: Path) -> Ranked:
        return cls(**{name: load_array(directory, f"ranked_{name}") for name in cls.FILES})


class RecommenderIndex:
    """The served model: neighbour lists, blended and re-ranked per request."""

    def __init__(
        self,
        content_rows: np.ndarray[Any, Any],
        content_scores: np.ndarray[Any, Any],
        cf_rows: np.ndarray[Any, Any],
        cf_scores: np.ndarray[Any, Any],
        weighted_rating: np.ndarray[Any, Any],
        params: RecommenderParams,
        manifest: dict[str, Any] | None = None,
        ranked: Ranked | None = None,
        explanations: Explanations | None = None,
        similar_rows: np.ndarray[Any, Any] | None = None,
        similar_scores: np.ndarray[Any, Any] | None = None,
    ) -> None:
        self.content_rows = content_rows
        self.content_scores = content_scores
        # a build without the similar lists (older, or no judged labels): the content lists
        self.similar_rows = content_rows if similar_rows is None else similar_rows
        self.similar_scores = content_scores if similar_scores is None else similar_scores
        self.cf_rows = cf_rows
        self.cf_scores = cf_scores
        self.weighted_rating = np.asarray(weighted_rating, np.float32)
        self.params = params
        self.manifest = manifest or {}
        wr = self.weighted_rating
        low, high = (float(wr.min()), float(wr.max())) if len(wr) else (0.0, 1.0)
        self.quality = (wr - low) / (high - low) if high > low else np.zeros_like(wr)
        self.popular = np.argsort(-wr, kind="stable")[:POPULAR_LIST].astype(np.int64)
        self.ranked = ranked
        self.explanations = explanations
        # Python-level views for the per-request fast paths (see `scalars`)
        self._quality = scalars(self.quality)
        self._popular = scalars(self.popular)
        if ranked is not None:
            self._ranked_rows = scalars(ranked.rows.reshape(-1))
            self._ranked_scores = scalars(ranked.scores.reshape(-1))
            self._ranked_co_liked = scalars(ranked.co_liked.reshape(-1))
            self._ranked_shared = scalars(ranked.shared.reshape(-1))
            self._ranked_count = scalars(ranked.count)
            self._ranked_top = scalars(ranked.top)

    @classmethod
    def load(cls, directory: Path) -> RecommenderIndex:
        manifest = json.loads((directory / MODEL_MANIFEST).read_text("utf-8"))
        params = RecommenderParams.from_dict(manifest["params"])
        return cls(
            content_rows=load_array(directory, "content_rows"),
            content_scores=load_array(directory, "content_scores"),
            similar_rows=_optional_array(directory, "similar_rows"),
            similar_scores=_optional_array(directory, "similar_scores"),
            cf_rows=load_array(directory, "cf_rows"),
            cf_scores=load_array(directory, "cf_scores"),
            weighted_rating=load_array(directory, "weighted_rating"),
            params=params,
            manifest=manifest,
            ranked=Ranked.load(directory),
            explanations=Explanations.load(directory),
        )

    def has_collaborative(self, row: int) -> bool:
        return self.cf_rows.shape[1] > 0 and int(self.cf_rows[row, 0]) >= 0

    def candidates(
        self, row: int, strategy: str
    ) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        """Candidate rows with their content and collaborative similarity (row-max scaled)."""
        parts: list[tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], int]] = []
        if strategy in ("hybrid", "content"):
            parts.append((self.content_rows[row], self.content_scores[row], 0))
        if strategy == "similar":
            parts.append((self.similar_rows[row], self.similar_scores[row], 0))
        if strategy in ("hybrid", "collaborative") and self.cf_rows.shape[1]:
            parts.append((self.cf_rows[row], self.cf_scores[row], 1))
        if not parts:
            empty = np.zeros(0)
            return empty.astype(np.int64), empty, empty
        rows_list, sims = [], []
        for rows, scores, which in parts:
            rows = np.asarray(rows, np.int64)
            scores = np.asarray(scores, np.float32)
            valid = rows >= 0
            rows, scores = rows[valid], scores[valid]
            top = float(scores.max()) if len(scores) else 1.0
            pair = np.zeros((len(rows), 2), np.float32)
            pair[:, which] = scores / top if top > 0 else 0.0
            rows_list.append(rows)
            sims.append(pair)
        all_rows = np.concatenate(rows_list)
        all_sims = np.concatenate(sims)
        unique, inverse = np.unique(all_rows, return_inverse=True)
        merged = np.zeros((len(unique), 2), np.float32)
        np.maximum.at(merged, inverse, all_sims)
        return unique, merged[:, 0], merged[:, 1]

    def recommend(
        self,
        rows: list[int],
        limit: int,
        strategy: str = "hybrid",
        allowed: Any = None,
        exclude: set[int] | None = None,
        weights: tuple[float, float, float] | None = None,
    ) -> list[Scored]:
        """Best `limit` movies for one or several liked movies (their neighbours, summed).

        The common cases are lookups: one movie with the default blend reads its `Ranked`
        row, and `popular` walks the popular list; both give exactly what `rescore` gives.
        """
        if strategy == "popular":
            return self._popular_picks(rows, limit, allowed, exclude)
        if strategy == "hybrid" and weights is None and len(rows) == 1 and self.ranked:
            picks = self._ranked_picks(rows[0], limit, allowed, exclude)
            if picks is not None:
                return picks
        if strategy in LIST_STRATEGIES and len(rows) == 1 and allowed is None and not exclude:
            return self._content_picks(rows[0], limit, strategy)
        return self.rescore(rows, limit, strategy, allowed, exclude, weights)

    def _content_picks(self, row: int, limit: int, strategy: str = "content") -> list[Scored]:
        """`rescore`'s answer from one stored list (`strategy`: content or similar) for one
        movie, unfiltered, without its merging and filtering steps (a single list has no
        duplicates to merge): `/recomendacion` reads the similar one on every request. The
        same float32 arithmetic, so the same scores and order."""
        lists, stored = (
            (self.similar_rows, self.similar_scores)
            if strategy == "similar"
            else (self.content_rows, self.content_scores)
        )
        rows = np.asarray(lists[row], np.int64)
        scores = np.asarray(stored[row], np.float32)
        valid = rows >= 0
        rows, scores = rows[valid], scores[valid]
        if not len(rows):
            return []
        top = float(scores.max())
        similarity = scores / top if top > 0 else np.zeros(len(rows), np.float32)
        keep = (similarity > 0) & (rows != row)
        rows, similarity = rows[keep], similarity[keep]
        if not len(rows):
            return []
        final = similarity / float(similarity.max())
        order = np.lexsort((rows, -final))[:limit].tolist()
        return [
            Scored(r, s, False)
            for r, s in zip(rows[order].tolist(), final[order].tolist(), strict=True)
        ]

    def similar(
        self, row: int, title_key: Any, limit: int = 5, strategy: str = SIMILAR_STRATEGY
    ) -> list[Scored]:
        """The course's "similar movies" (`/recomendacion`): the best of `strategy`'s list with
        one movie per title (a remake or a re-release under the query's or an earlier pick's
        title says nothing new), topped up from the best rated when the list is short.

        `title_key[r]` numbers a movie's title match key (equal numbers, equal titles; -1:
        no key, never equal to another). The content list is the default: the learned model
        with what the same viewers liked held out, which is what a film fan calls similar
        (docs/evaluation.md: it holds more of the fans' judged films in its first five).
        """
        seen = {title_key[row]} - {-1}
        chosen: list[Scored] = []
        for source in (strategy, "popular"):
            for scored in self.recommend([row], limit * 4, source):
                key = title_key[scored.row]
                if scored.row == row or key in seen or any(s.row == scored.row for s in chosen):
                    continue
                if key != -1:
                    seen.add(key)
                chosen.append(scored)
                if len(chosen) == limit:
                    return chosen
        return chosen

    def _ranked_picks(
        self, row: int, limit: int, allowed: Any, exclude: set[int] | None
    ) -> list[Scored] | None:
        """The stored order of `row`, filtered; None when it cannot answer (then `rescore`)."""
        count = self._ranked_count[row]
        stored = min(count, RANKED)
        start = row * RANKED
        dropped = set(exclude or ()) - {row}
        if not dropped and allowed is None:
            n = min(limit, stored)
            if n < limit and count > stored:
                return None  # asks for more than is stored
            rows = self._ranked_rows[start : start + n].tolist()
            scores = cast(list[float], self._ranked_scores[start : start + n].tolist())
            co_liked = cast(list[bool], self._ranked_co_liked[start : start + n].tolist())
            shared = self._ranked_shared[start : start + n].tolist()
            columns = zip(rows, scores, co_liked, shared, range(start, start + n), strict=True)
            return list(map(_scored, columns))
        top = self._ranked_top[row]
        if top in dropped:
            return None  # the scale of every score changes
        ok: list[bool] = [True] * (stored + 1)
        if allowed is not None:
            probe = np.empty(stored + 1, np.int64)
            probe[:stored] = self.ranked.rows[row, :stored]  # type: ignore[union-attr]
            probe[stored] = max(top, 0)
            ok = np.asarray(allowed(probe), bool).tolist()
            if top >= 0 and not ok[stored]:
                return None
        picks: list[Scored] = []
        for i in range(stored):
            candidate = self._ranked_rows[start + i]
            if ok[i] and candidate not in dropped:
                picks.append(
                    Scored(
                        candidate,
                        float(self._ranked_scores[start + i]),
                        bool(self._ranked_co_liked[start + i]),
                        self._ranked_shared[start + i],
                        start + i,
                    )
                )
                if len(picks) == limit:
                    return picks
        return picks if count <= stored else None

    def explained(self, picks: list[Scored]) -> list[list[str] | None]:
        """The stored reasons of recommendations that come from a stored default list (they
        explain them for that list's movie as the only query movie), else None."""
        if self.explanations is None:
            return [None] * len(picks)
        of = self.explanations.of
        return [
            None if p.ranked_at < 0 else of(p.ranked_at // RANKED, p.ranked_at % RANKED)
            for p in picks
        ]

    def _popular_picks(
        self, rows: list[int], limit: int, allowed: Any, exclude: set[int] | None
    ) -> list[Scored]:
        """The best rated movies: `popular` is already in `rescore`'s order for this strategy
        (its score is the quality, which is monotone in the weighted rating)."""
        exclude = set(exclude or ()) | set(rows)
        candidates: Any = self._popular
        if allowed is not None:
            candidates = self.popular[np.asarray(allowed(self.popular), bool)].tolist()
        picks: list[Scored] = []
        for candidate in candidates:
            if candidate not in exclude:
                picks.append(Scored(candidate, self._quality[candidate], False))
                if len(picks) >= limit:
                    break
        return picks

    def _profile_picks(
        self, rows: list[int], limit: int, allowed: Any, exclude: set[int]
    ) -> list[Scored]:
        """Each candidate's learned score summed over the query movies' lists, over their
        number: in each list, the odds that it beats that list's best (the ranker's scores
        are a logistic of pairwise preferences; a movie absent from a list adds 0). What the
        films of a profile share comes first, then the best of each of them in turn."""
        ranked = self.ranked
        assert ranked is not None
        lists = np.asarray(ranked.rows[rows], np.int64).reshape(-1)
        per_movie = np.asarray(ranked.scores[rows], np.float64)
        if len(rows) > 1:  # each liked movie weighs the same: its best counts 1
            p = np.clip(per_movie, 1e-6, 1 - 1e-6)
            odds = np.where(per_movie > 0, p / (1 - p), 0.0)
            best = odds.max(axis=1, keepdims=True)
            per_movie = np.divide(odds, best, out=np.zeros_like(odds), where=best > 0)
        scores = per_movie.reshape(-1)
        co_liked = np.asarray(ranked.co_liked[rows], bool).reshape(-1)
        at = (np.asarray(rows, np.int64)[:, None] * RANKED + np.arange(RANKED)).reshape(-1)
        keep = lists >= 0
        lists, scores, co_liked, at = lists[keep], scores[keep], co_liked[keep], at[keep]
        if exclude:
            keep = ~np.isin(lists, np.fromiter(exclude, np.int64, len(exclude)))
            lists, scores, co_liked, at = lists[keep], scores[keep], co_liked[keep], at[keep]
        if len(lists) == 0:
            return []
        unique, inverse = np.unique(lists, return_inverse=True)
        total = np.bincount(inverse, weights=scores, minlength=len(unique)) / len(rows)
        liked = np.bincount(inverse, weights=co_liked, minlength=len(unique)) > 0
        keep = (
            np.asarray(allowed(unique), bool) if allowed is not None else np.ones(len(unique), bool)
        )
        order = [i for i in np.lexsort((unique, -total)).tolist() if keep[i]][:limit]
        if len(rows) == 1:  # a single movie: its stored reasons and shared bits apply
            first = {int(c): int(a) for c, a in zip(lists.tolist(), at.tolist(), strict=True)}
            shared = self._ranked_shared
            return [
                Scored(
                    int(unique[i]),
                    float(total[i]),
                    bool(liked[i]),
                    shared[first[int(unique[i])]],
                    first[int(unique[i])],
                )
                for i in order
            ]
        return [Scored(int(unique[i]), float(total[i]), bool(liked[i])) for i in order]

    def rescore(
        self,
        rows: list[int],
        limit: int,
        strategy: str = "hybrid",
        allowed: Any = None,
        exclude: set[int] | None = None,
        weights: tuple[float, float, float] | None = None,
    ) -> list[Scored]:
        """`recommend` computed from the lists: the learned hybrid lists of the query movies
        added up (a taste profile), or a neighbour list with the quality prior (collaborative;
        content lists are already the learned content model's), filtered and sorted."""
        exclude = set(exclude or ()) | set(rows)
        if strategy == "hybrid" and self.ranked is not None:
            return self._profile_picks(rows, limit, allowed, exclude)
        if strategy in LIST_STRATEGIES:
            weights = (1.0, 0.0, 0.0)
        wc, wf, wq = weights or (
            self.params.content_weight,
            self.params.collaborative_weight,
            self.params.quality_weight,
        )
        cand: np.ndarray[Any, Any]
        content: np.ndarray[Any, Any]
        collab: np.ndarray[Any, Any]
        similarity: np.ndarray[Any, Any]
        if strategy == "popular":
            cand = self.popular
            content = np.zeros(len(cand), np.float32)
            collab = np.zeros(len(cand), np.float32)
            similarity = np.zeros(len(cand), np.float32)
            wq = 1.0
        else:
            pieces = [self.candidates(r, strategy) for r in rows]
            cand = np.concatenate([p[0] for p in pieces]) if pieces else np.zeros(0, np.int64)
            content = np.concatenate([p[1] for p in pieces]) if pieces else np.zeros(0)
            collab = np.concatenate([p[2] for p in pieces]) if pieces else np.zeros(0)
            if len(pieces) > 1 and len(cand):
                cand, inverse = np.unique(cand, return_inverse=True)
                content = np.bincount(inverse, weights=content) / len(rows)
                collab = np.bincount(inverse, weights=collab) / len(rows)
            if strategy == "collaborative":
                wc = 0.0
            elif strategy in LIST_STRATEGIES:
                wf = 0.0
            similarity = wc * content + wf * collab
            keep_sim = similarity > 0
            cand, content, collab, similarity = (
                cand[keep_sim],
                content[keep_sim],
                collab[keep_sim],
                similarity[keep_sim],
            )
        if len(cand) == 0:
            return []
        keep = np.ones(len(cand), bool)
        if exclude:
            keep &= ~np.isin(cand, np.fromiter(exclude, np.int64, len(exclude)))
        if allowed is not None:
            keep &= allowed(cand)
        cand, content, collab, similarity = (
            cand[keep],
            content[keep],
            collab[keep],
            similarity[keep],
        )
        if len(cand) == 0:
            return []
        top = float(similarity.max()) if strategy != "popular" and similarity.max() > 0 else 1.0
        final = (1 - wq) * (similarity / top) + wq * self.quality[cand]
        order = np.argsort(-final, kind="stable")[:limit]
        return [Scored(int(cand[i]), float(final[i]), bool(collab[i] > 0)) for i in order]


# features whose positive contribution makes a `links` bit a reason shown to the user
_REASON_BITS = {  # the reasons a positive contribution earns (collection, director: always)
    "writers": "SAME_WRITER",
    "key_crew": "SAME_KEY_CREW",
    "shared_cast": "SHARED_CAST",
    "keywords": "SHARED_KEYWORDS",
    "genres": "SAME_GENRES",
}


def _ranked_from(
    catalog: Any,
    lists: Any,
    cf_rows: np.ndarray[Any, Any],
    near_story: np.ndarray[Any, Any] | None = None,
    fans_named: np.ndarray[Any, Any] | None = None,
) -> Ranked:
    """The served `Ranked` of the blend's hybrid lists. What each pair shares is kept as a
    reason only where that signal added to the pair's score (its TreeSHAP contribution is
    positive); "liked by the same viewers" likewise for the collaborative signals. A shared
    collection or director is always kept: both are candidate sources of every list
    (`ranker.rank_all` ranks their films whatever the neighbour lists) and, constrained
    monotone, never lower a score, so they count whether or not the trees split on them (with
    the writers, cast and reverse ranks a model may leave `same_director` unused and still put
    Nolan's films in *The Dark Knight*'s list because he made them). Beyond the first
    `EXPLAINED_PAIRS` of a list (shown only when a filter drops the first ones) the
    contributions are not computed and the rest is not claimed. "A similar story" also needs
    the two stories near each other (`near_story`, `blend.near_stories`), not just closer
    than most candidates; "film fans name them together" the two named in a fans' list
    (`fans_named`)."""
    from cinerec.recommend import links
    from cinerec.recommend.blend import COLLABORATIVE_FEATURES, EXPLAINED_PAIRS
    from cinerec.recommend.ranker import FEATURES

    rows = np.asarray(lists.rows, np.int32)
    n, width = rows.shape
    source = np.repeat(np.arange(n), width)
    shared = links.shared_content(catalog, source, rows.reshape(-1)).reshape(n, width)
    contributions = lists.contributions
    explained = np.arange(width)[None, :] < EXPLAINED_PAIRS
    shared = shared.astype(np.uint16)
    allowed = np.full((n, width), links.SAME_COLLECTION | links.SAME_DIRECTOR, np.uint16)
    for feature, bit in _REASON_BITS.items():
        positive = explained & (contributions[..., FEATURES.index(feature)] > 0)
        allowed |= np.where(positive, getattr(links, bit), 0).astype(np.uint16)
    shared &= allowed
    story = sum(contributions[..., FEATURES.index(f)] for f in ("text", "reverse_text")) > 0
    if near_story is not None:
        story &= near_story
    shared |= np.where(story & (rows >= 0), links.SIMILAR_STORY, 0).astype(np.uint16)
    fans = sum(contributions[..., FEATURES.index(f)] for f in ("fans_together", "fans_cosine"))
    named = (fans > 0) if fans_named is None else (fans > 0) & fans_named
    shared |= np.where(explained & named & (rows >= 0), links.FANS_NAMED, 0).astype(np.uint16)
    cf = sum(contributions[..., FEATURES.index(f)] for f in COLLABORATIVE_FEATURES)
    if cf_rows.shape[1]:
        in_cf = (np.asarray(cf_rows)[:, None, :] == rows[:, :, None]).any(axis=2)
    else:
        in_cf = np.zeros((n, width), bool)
    co_liked = in_cf & ((cf > 0) | ~explained) & (rows >= 0)
    count = (rows >= 0).sum(axis=1).astype(np.int32)
    return Ranked(
        rows,
        np.asarray(lists.scores, np.float32),
        co_liked,
        shared,
        count,
        np.full(n, -1, np.int32),
    )
