"""The learned blend: which of a movie's candidate neighbours a film fan and its viewers would
pick, from features of the pair (training time only; serving reads the ranked lists).

Candidates of a movie are the union of its neighbour lists — content, text embedding,
collaborative — and the other movies of its collection and of its directors. Each
(movie, candidate) pair is described by `FEATURES`, standardized, and scored by a logistic
model (scikit-learn) fitted on two kinds of labels at once: the `fit` half of the judged set
(a candidate is positive when a film fan listed it as clearly similar) and validation users'
ratings (positive when the user who liked the query movie also liked the candidate), each kind
weighing half, so neither the fans' notion of "the same kind of film" nor the viewers'
co-likes alone decides. A linear model keeps every contribution readable: a reason shown
with a recommendation is a feature that added to its score (`contributions`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from cinerec.catalog.arrays import Csr
from cinerec.catalog.loaded import Catalog

Array = np.ndarray[Any, Any]

FEATURES = (
    "content",  # cosine of the structured + TF-IDF content vectors (features.build_features)
    "text",  # cosine of the text embeddings (recommend.encoder)
    "collaborative",  # collaborative score, over the query's best (0 when not a neighbour)
    "collaborative_rank",  # 1 / (1 + rank) among the collaborative neighbours
    "co_liked",  # cosine of who liked both (no popularity discount), over the query's best
    "same_collection",
    "same_director",
    "shared_cast",  # top-billed actors in common, up to 3, / 3
    "keywords",  # cosine of IDF-weighted keywords
    "companies",  # cosine of IDF-weighted production companies (studios)
    "genres",  # Jaccard of the genre sets
    "same_language",
    "shared_country",
    "era",  # exp(-|year gap| / 10)
    "quality",  # the candidate's weighted rating, scaled to [0, 1]
    "prominence",  # the candidate's log votes, scaled to [0, 1]
    "prominence_gap",  # |prominence(query) - prominence(candidate)|
    "kind_mismatch",  # one is a short / TV movie / special and the other is not
    "obscure",  # the candidate has no votes and no overview
    "text_and_genres",  # text x genres: a story alike in a kind alike
)
SHORT_MINUTES = 45


@dataclass
class RankerParams:
    """Knobs of the learned blend (recorded in the model manifest)."""

    per_source: int = 30  # candidates taken from each neighbour list
    per_group: int = 15  # candidates taken from the collection and from each director
    judged_weight: float = 0.5  # share of the training weight on the judged set
    regularization: float = 1.0  # inverse L2 strength of the logistic model (C)
    seed: int = 0


@dataclass
class PairFeatures:
    """What the features are computed from, gathered once per training."""

    catalog: Catalog
    content: Callable[[Array, Array], Array]  # pair cosine of the content vectors
    text_vectors: Array  # (n, d) unit rows, zero when no text
    quality: Array  # (n,) in [0, 1]
    cf_rows: Array
    cf_scores: Array
    co_rows: Array  # the plain cosine neighbours of who liked what
    co_scores: Array
    _groups: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        import scipy.sparse as sp
        from sklearn.preprocessing import normalize

        from cinerec.recommend.links import TOP_BILLED, _membership

        c = self.catalog
        n = len(c)

        def idf(m: sp.csr_matrix) -> sp.csr_matrix:
            df = np.asarray((m > 0).sum(axis=0)).ravel()
            return normalize(sp.csr_matrix(m.multiply(np.log((1 + n) / (1 + df)) + 1.0)))

        self._groups = {
            "directors": _membership(c.movie_directors, n),
            "cast": _membership(c.movie_cast, n, TOP_BILLED),
            "keywords": idf(_membership(c.keywords.of_movie, n)),
            "companies": idf(_membership(c.companies.of_movie, n)),
            "genres": _membership(c.genres.of_movie, n),
            "countries": _membership(c.countries.of_movie, n),
        }
        self._genre_counts = np.asarray(self._groups["genres"].sum(axis=1)).ravel()
        runtime = np.asarray(c.runtime, np.float64)
        tv = np.zeros(n, bool)
        for name in ("TV Movie",):
            found = c.genres.names.lookup(name.lower().replace(" ", ""))
            for g in found.tolist():
                tv[np.asarray(c.genres.movies.group(int(g)), np.int64)] = True
        self.special = tv | (np.nan_to_num(runtime, nan=999.0) < SHORT_MINUTES)
        overview = c.overview
        no_text = np.fromiter((overview.get(r) is None for r in range(n)), bool, n)
        self.obscure = (np.asarray(c.vote_count) == 0) & no_text
        self.prominence = np.asarray(c.movie_prominence, np.float32)

    def _pair_dot(self, name: str, a: Array, b: Array) -> Array:
        m = self._groups[name]
        return np.asarray(m[a].multiply(m[b]).sum(axis=1), np.float32).ravel()

    def __call__(self, a: Array, b: Array) -> Array:
        """(len(a), len(FEATURES)) features of the pairs (a[i], b[i])."""
        c = self.catalog
        a = np.asarray(a, np.int64)
        b = np.asarray(b, np.int64)
        out = np.zeros((len(a), len(FEATURES)), np.float32)
        col = {name: i for i, name in enumerate(FEATURES)}
        out[:, col["content"]] = self.content(a, b)
        text = np.einsum("ij,ij->i", self.text_vectors[a], self.text_vectors[b])
        out[:, col["text"]] = text
        cf, cf_rank = _list_lookup(self.cf_rows, self.cf_scores, a, b)
        out[:, col["collaborative"]] = cf
        out[:, col["collaborative_rank"]] = cf_rank
        out[:, col["co_liked"]] = _list_lookup(self.co_rows, self.co_scores, a, b)[0]
        collection = np.asarray(c.collection, np.int64)
        out[:, col["same_collection"]] = (collection[a] == collection[b]) & (collection[a] >= 0)
        out[:, col["same_director"]] = self._pair_dot("directors", a, b) > 0
        out[:, col["shared_cast"]] = np.minimum(self._pair_dot("cast", a, b), 3) / 3
        out[:, col["keywords"]] = self._pair_dot("keywords", a, b)
        out[:, col["companies"]] = self._pair_dot("companies", a, b)
        common = self._pair_dot("genres", a, b)
        union = self._genre_counts[a] + self._genre_counts[b] - common
        genres = np.divide(common, union, out=np.zeros_like(common), where=union > 0)
        out[:, col["genres"]] = genres
        language = np.asarray(c.language)
        out[:, col["same_language"]] = (language[a] == language[b]) & (language[a] >= 0)
        out[:, col["shared_country"]] = self._pair_dot("countries", a, b) > 0
        years = np.asarray(c.release_year, np.float32)
        out[:, col["era"]] = np.exp(-np.abs(years[a] - years[b]) / 10)
        out[:, col["quality"]] = self.quality[b]
        out[:, col["prominence"]] = self.prominence[b]
        out[:, col["prominence_gap"]] = np.abs(self.prominence[a] - self.prominence[b])
        out[:, col["kind_mismatch"]] = self.special[a] != self.special[b]
        out[:, col["obscure"]] = self.obscure[b]
        out[:, col["text_and_genres"]] = text * genres
        return out


def _list_lookup(rows: Array, scores: Array, a: Array, b: Array) -> tuple[Array, Array]:
    """For each pair, b's score in a's neighbour list over the list's best, and 1/(1+rank)."""
    if rows.shape[1] == 0:
        zero = np.zeros(len(a), np.float32)
        return zero, zero.copy()
    lists = np.asarray(rows[a], np.int64)
    hit = lists == b[:, None]
    found = hit.any(axis=1)
    rank = hit.argmax(axis=1)
    values = np.asarray(scores[a], np.float32)
    top = np.maximum(values[:, 0], 1e-9)
    score = np.where(found, values[np.arange(len(a)), rank] / top, 0.0).astype(np.float32)
    return score, np.where(found, 1.0 / (1.0 + rank), 0.0).astype(np.float32)


def _head(groups: Csr, row: int, limit: int) -> list[int]:
    return groups.group_list(row)[:limit]


def candidates(
    catalog: Catalog,
    row: int,
    lists: list[Array],
    params: RankerParams,
) -> Array:
    """Candidate rows for `row` (never itself): the heads of its neighbour lists, its
    collection's and its directors' other movies."""
    found: set[int] = set()
    for neighbours in lists:
        if neighbours.shape[1]:
            found.update(int(r) for r in neighbours[row, : params.per_source] if r >= 0)
    collection = catalog.collection_at[row]
    if collection >= 0:
        found.update(_head(catalog.collections.movies, collection, params.per_group))
    for director in catalog.movie_directors.group_list(row):
        found.update(_head(catalog.directed, director, params.per_group))
    found.discard(row)
    return np.fromiter(sorted(found), np.int64, len(found))


def candidate_pairs(
    catalog: Catalog, rows: Array, lists: list[Array], params: RankerParams
) -> tuple[Array, Array]:
    sources, targets = [], []
    for row in np.asarray(rows, np.int64).tolist():
        found = candidates(catalog, row, lists, params)
        sources.append(np.full(len(found), row, np.int64))
        targets.append(found)
    if not sources:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(sources), np.concatenate(targets)


@dataclass
class LinearRanker:
    """A fitted logistic model over standardized FEATURES."""

    mean: Array
    scale: Array
    coef: Array
    intercept: float
    features: tuple[str, ...] = FEATURES

    def decision(self, x: Array) -> Array:
        return np.asarray(((x - self.mean) / self.scale) @ self.coef + self.intercept, np.float32)

    def score(self, x: Array) -> Array:
        """Probability-like score in (0, 1)."""
        return np.asarray(1.0 / (1.0 + np.exp(-self.decision(x))), np.float32)

    def contributions(self, x: Array) -> Array:
        """Per pair and feature, what it adds to the decision against an average pair."""
        return np.asarray((x - self.mean) / self.scale * self.coef, np.float32)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "logistic regression over standardized pair features",
            "features": list(self.features),
            "mean": [round(float(v), 6) for v in self.mean],
            "scale": [round(float(v), 6) for v in self.scale],
            "coef": [round(float(v), 6) for v in self.coef],
            "intercept": round(float(self.intercept), 6),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinearRanker:
        return cls(
            np.asarray(data["mean"], np.float32),
            np.asarray(data["scale"], np.float32),
            np.asarray(data["coef"], np.float32),
            float(data["intercept"]),
            tuple(data["features"]),
        )


@dataclass
class TrainingSet:
    x: Array
    y: Array
    weight: Array
    group: Array  # query index, for reports

    @classmethod
    def concat(cls, parts: list[TrainingSet], shares: list[float]) -> TrainingSet:
        """Parts weighted to the given shares of the total weight."""
        scaled = []
        for part, share in zip(parts, shares, strict=True):
            total = float(part.weight.sum())
            scaled.append(part.weight * (share / total if total > 0 else 0.0))
        return cls(
            np.concatenate([p.x for p in parts]),
            np.concatenate([p.y for p in parts]),
            np.concatenate(scaled),
            np.concatenate([p.group for p in parts]),
        )


def labelled(
    features: PairFeatures,
    catalog: Catalog,
    queries: list[tuple[int, frozenset[int]]],
    lists: list[Array],
    params: RankerParams,
) -> TrainingSet:
    """Candidates of each query movie, labelled 1 when in its positive set; every query
    weighs the same whatever its number of candidates."""
    xs, ys, ws, gs = [], [], [], []
    for i, (row, positives) in enumerate(queries):
        found = candidates(catalog, row, lists, params)
        if len(found) == 0:
            continue
        y = np.fromiter((r in positives for r in found.tolist()), np.float32, len(found))
        if not y.any():
            continue
        xs.append(features(np.full(len(found), row), found))
        ys.append(y)
        ws.append(np.full(len(found), 1.0 / len(found), np.float32))
        gs.append(np.full(len(found), i, np.int64))
    if not xs:
        width = len(FEATURES)
        return TrainingSet(np.zeros((0, width), np.float32), np.zeros(0), np.zeros(0), np.zeros(0))
    return TrainingSet(np.vstack(xs), np.concatenate(ys), np.concatenate(ws), np.concatenate(gs))


def fit_ranker(data: TrainingSet, params: RankerParams) -> LinearRanker:
    from sklearn.linear_model import LogisticRegression

    mean = data.x.mean(axis=0)
    scale = data.x.std(axis=0)
    scale = np.where(scale > 1e-6, scale, 1.0)
    model = LogisticRegression(C=params.regularization, max_iter=2000)
    model.fit((data.x - mean) / scale, data.y, sample_weight=data.weight * len(data.y))
    return LinearRanker(
        mean.astype(np.float32),
        scale.astype(np.float32),
        model.coef_[0].astype(np.float32),
        float(model.intercept_[0]),
    )


def rank_all(
    catalog: Catalog,
    features: PairFeatures,
    ranker: LinearRanker,
    lists: list[Array],
    params: RankerParams,
    width: int,
    chunk: int = 1024,
) -> Iterator[tuple[int, Array, Array, Array]]:
    """For blocks of movies: (first row, ranked candidate rows (b, width) -1 padded, their
    scores, their feature rows (b, width, F)) — the model's list of every movie."""
    n = len(catalog)
    for start in range(0, n, chunk):
        rows = np.arange(start, min(n, start + chunk))
        a, b = candidate_pairs(catalog, rows, lists, params)
        x = features(a, b)
        score = ranker.score(x)
        # never in a known film's list: a movie with no votes and no overview
        score[features.obscure[b] & (np.asarray(catalog.vote_count)[a] >= 20)] = 0.0
        order = np.lexsort((b, -score, a))
        a, b, score, x = a[order], b[order], score[order], x[order]
        block = len(rows)
        out_rows = np.full((block, width), -1, np.int32)
        out_scores = np.zeros((block, width), np.float32)
        out_x = np.zeros((block, width, len(FEATURES)), np.float32)
        starts = np.searchsorted(a, rows)
        stops = np.searchsorted(a, rows, side="right")
        for i, (s, e) in enumerate(zip(starts.tolist(), stops.tolist(), strict=True)):
            m = int((score[s : min(e, s + width)] > 0).sum())  # sorted: the kept come first
            out_rows[i, :m] = b[s : s + m]
            out_scores[i, :m] = score[s : s + m]
            out_x[i, :m] = x[s : s + m]
        yield start, out_rows, out_scores, out_x


def content_cosine(
    sparse: Any, dense: Array, chunk: int = 200_000
) -> Callable[[Array, Array], Array]:
    """Pair cosine of content vectors given as a sparse and a dense block (`ItemFeatures`)."""
    sq = np.asarray(sparse.multiply(sparse).sum(axis=1)).ravel() + (dense * dense).sum(axis=1)
    norms = np.sqrt(np.maximum(sq, 1e-12)).astype(np.float32)

    def cosine(a: Array, b: Array) -> Array:
        out = np.zeros(len(a), np.float32)
        for start in range(0, len(a), chunk):
            i, j = a[start : start + chunk], b[start : start + chunk]
            dot = np.asarray(sparse[i].multiply(sparse[j]).sum(axis=1)).ravel()
            dot += np.einsum("ij,ij->i", dense[i], dense[j])
            out[start : start + chunk] = dot / (norms[i] * norms[j])
        return out

    return cosine


def embedding_neighbours(vectors: Array, k: int, chunk: int = 1024) -> tuple[Array, Array]:
    """Each movie's k nearest by text-embedding cosine (rows without text get -1)."""
    from cinerec.recommend.neighbours import top_k_rows

    has_text = np.linalg.norm(vectors, axis=1) > 0
    transposed = np.ascontiguousarray(vectors.T)

    def block(start: int, stop: int) -> Array:
        sims = vectors[start:stop] @ transposed
        sims[:, ~has_text] = -1.0
        return np.asarray(sims, np.float32)

    rows, scores = top_k_rows(block, len(vectors), k, chunk)
    rows[~has_text] = -1
    scores[~has_text] = 0.0
    return rows, scores


def text_vectors(build_dir: Path, n: int) -> Array:
    """The catalogue's text embeddings (zeros when the build has none)."""
    from cinerec.catalog.arrays import load_array
    from cinerec.recommend.text_search import TEXT_INDEX

    path = build_dir / TEXT_INDEX
    if (path / "vectors.npy").is_file():
        return np.asarray(load_array(path, "vectors"), np.float32)
    return np.zeros((n, 1), np.float32)
