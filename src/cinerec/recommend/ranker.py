"""The learned blend: which of a movie's candidate neighbours a film fan and its viewers would
pick, from features of the pair (training time only; serving reads the ranked lists).

Candidates of a movie are the union of its neighbour lists — content and text embedding
(over all movies and over known films only: most films a fan calls similar are known ones),
collaborative — and the other movies of its collection and of its directors. Each
(movie, candidate) pair is described by `FEATURES` and scored by a LightGBM lambdarank model fitted
on two kinds of labels at once: the `fit` half of the judged set (a candidate is positive when
a film fan listed it as clearly similar) and validation users' ratings (positive when the user
who liked the query movie also liked the candidate), weighed by `RankerParams.judged_weight`,
so neither the fans' notion of "the same kind of film" nor the viewers' co-likes alone decides.
What the viewers' likes alone would let in, a famous film of another kind (*Toy Story* for
*Scream*), is held below the films of the same kind (`PairFeatures.other_kind`). A reason
shown with a recommendation is a feature whose TreeSHAP contribution added to its score.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from cinerec.catalog.loaded import Catalog
from cinerec.progress import SilentProgress
from cinerec.textnorm import match_key

Array = np.ndarray[Any, Any]

FEATURES = (
    "content",  # cosine of the structured + TF-IDF content vectors (features.build_features)
    "text",  # cosine of the text embeddings (recommend.encoder)
    "collaborative",  # collaborative score, over the query's best (0 when not a neighbour)
    "collaborative_rank",  # 1 / (1 + rank) among the collaborative neighbours
    # cosine of who liked both (no popularity discount), over the query's best neighbour's;
    # for every pair (`co_liked_pairs`), not only the query's top 50
    "co_liked",
    # log lift of who liked both (the candidate's popularity discounted); 0 without pairs
    "co_lift",
    # the share of the query's viewers who liked the candidate (shrunk; not discounted): what
    # a viewer of the query likes next; 0 without pairs
    "co_given",
    # how much better the query's fans rate the candidate than everyone does (shrunk); 0
    # without pairs
    "co_rating",
    "same_collection",
    "same_director",
    "shared_cast",  # top-billed actors in common, up to 3, / 3
    "writers",  # cosine of IDF-weighted writers (screenplay, story, the novel adapted)
    "key_crew",  # cosine of IDF-weighted producers, composers, cinematographers, editors
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
    # where the query would stand among the candidate's own nearest known films (1 / (1 +
    # rank), 0 below its list): a film fan's "of the same kind" goes both ways, while a
    # famous film near everything (a hub) has its own closer neighbours
    "reverse_content",
    "reverse_text",  # the same by the text embeddings
    # the share of the candidate's nearest known films (content, text) that are the query's
    # too: two films of a kind share their neighbours, while a hub near everything has
    # its own (shared-nearest-neighbour similarity, which tempers hubness)
    "shared_content_neighbours",
    "shared_text_neighbours",
    "shared_co_liked",  # the same over the films liked by the same viewers (top 50)
    # the fans' lists (`FanLists`: the judged queries, each with what a fan named for it; the
    # fit half's alone in `evaluate`): how many lists name both, log-scaled, and the cosine of the two films' list sets
    # (a famous film named in many lists discounted); 0 for films no list names
    "fans_together",
    "fans_cosine",
)
SHORT_MINUTES = 45
SHARED_NEIGHBOURS = 20  # the shared-neighbour features read the first 20 of each list
LABELLED_CHUNK = 256  # queries whose candidate pairs get their features in one call
FORMAT_GENRES = ("TV Movie",)  # a film labelled so is a short / TV movie / special
FORMAT_KEYWORDS = ("short", "tv special")  # whatever its runtime says, or when it says nothing
# genres that make a kind of their own, whatever else a film shares: an animated film and a
# live-action one, a documentary and a fiction (both ways); a horror film's candidate that is
# not horror (one way: a thriller's list may hold a horror film)
KIND_GENRES = (("Animation", True), ("Documentary", True), ("Horror", False))
OTHER_KIND = 1e-3  # a candidate of another kind: its stored score scaled down
# what a fan takes for granted, imposed on the model (the labelled set is small): all else
# equal, a shared collection, director or cast never lowers a candidate, and an obscure or
# other-kind one never gains
MONOTONE = {
    "same_collection": 1,
    "same_director": 1,
    "shared_cast": 1,
    "obscure": -1,
    "kind_mismatch": -1,
    "fans_together": 1,
    "fans_cosine": 1,
}


@dataclass
class RankerParams:
    """Knobs of the learned blend (recorded in the model manifest)."""

    per_source: int = 30  # candidates taken from the collaborative list
    per_group: int = 15  # candidates taken from the collection and from each director
    known_votes: int = 50  # "known" films: extra neighbour lists among them only
    per_known: int = 80  # candidates from the content neighbours among known films
    per_known_text: int = 40  # and from the text neighbours among known films
    per_fans: int = 30  # and from the films the fans' lists name with it most often
    # the judged lists read as fans' lists (`FanLists`): "all" in a build (every list written
    # is knowledge), "fit" in `evaluate`, so the test half it measures on stays unseen
    fans_lists: str = "all"
    # share of the training weight on the judged set (0.475 at stops 37–41; docs/evaluation.md)
    judged_weight: float = 0.5
    # the same share for the content-only model: its lists answer `/recomendacion` ("similar
    # movies", a fan's notion) and movies without ratings (the viewers' cold start, whose
    # target it meets with room at this share: docs/evaluation.md)
    content_judged_weight: float = 0.6
    # a candidate of another kind goes below every one of the same kind unless it is of the
    # same collection: a short / TV movie / special for a feature film (or the reverse), or one
    # whose genres hold less than this share of the query's genre weight (IDF-weighted:
    # "Drama" says little, "War" much) and is not by the same director with a genre or an
    # actor in common
    min_genre_share: float = 0.2
    trees: int = 100
    leaves: int = 7
    min_leaf: int = 100
    learning_rate: float = 0.075
    truncation: int = 20  # lambdarank: the pairs that count reach this deep into a list
    validation_share: float = 0.2  # rating users whose likes label the blend, per fold
    # folds of such users, each labelling with features from the users outside it (three
    # folds: more of the viewers' labels, docs/evaluation.md stop 37; five read the same)
    validation_folds: int = 3
    max_user_items: int = 1000  # co-liked feature: a heavy user's most recent, as RP3beta
    max_validation_users: int = 2000  # of those, a seeded sample (the full ratings.csv has 54k)
    max_fit_users: int = 30000  # and of the others, whose collaborative lists are the features
    # (the served co-liked feature, too; RP3beta's served lists use every user)
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
    # each movie's similarities to its nearest known films, best first (content, text), as
    # `blend` found them; empty: the reverse features are 0
    own_similarities: tuple[Array, Array] | None = None
    # (cosine, log lift, share, rating gap) of who liked both, for any pair
    # (`collaborative.LikedTogether`); None: only the listed pairs have a cosine, and no pair
    # the others
    co_liked_pairs: Callable[[Array, Array], tuple[Array, ...]] | None = None
    # each movie's nearest known films (content, text), best first, -1 padded, as `blend`
    # found them; None: the shared-neighbour features are 0
    own_neighbours: tuple[Array, Array] | None = None
    # the fans' lists; None: the fans' features are 0
    fans: FanLists | None = None
    # per movie, the fans' list it leaves out of its own pairs (-1: none): a judged query's
    # labels never see the list they come from (`FanLists.own`)
    fans_left_out: Array | None = None
    _groups: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        import scipy.sparse as sp
        from sklearn.preprocessing import normalize

        from cinerec.recommend.features import crew_members
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
            **{
                name: idf(m)
                for name, m in crew_members(c.build_dir, np.asarray(c.movie_id)).items()
            },
        }
        self._genre_counts = np.asarray(self._groups["genres"].sum(axis=1)).ravel()
        has_genre = sp.csr_matrix(self._groups["genres"] > 0, dtype=np.float64)
        df = np.asarray(has_genre.sum(axis=0)).ravel()
        self._has_genre = has_genre
        self._genre_idf = sp.csr_matrix(has_genre.multiply(np.log((1 + n) / (1 + df))))
        self._genre_mass = np.asarray(self._genre_idf.sum(axis=1)).ravel()
        self._kind_genres = []
        for name, both_ways in KIND_GENRES:
            found = c.genres.names.lookup(match_key(name)).tolist()
            if found and int(found[0]) < has_genre.shape[1]:
                has = np.asarray(has_genre[:, int(found[0])].toarray()).ravel() > 0
                self._kind_genres.append((has, both_ways))
        runtime = np.asarray(c.runtime, np.float64)
        labelled = np.zeros(n, bool)  # TMDB's own labels of a format (runtime is often missing)
        for dimension, names in ((c.genres, FORMAT_GENRES), (c.keywords, FORMAT_KEYWORDS)):
            for name in names:
                for g in dimension.names.lookup(match_key(name)).tolist():
                    labelled[np.asarray(dimension.movies.group(int(g)), np.int64)] = True
        self.special = labelled | (np.nan_to_num(runtime, nan=999.0) < SHORT_MINUTES)
        overview = c.overview
        no_text = np.fromiter((overview.get(r) is None for r in range(n)), bool, n)
        self.obscure = (np.asarray(c.vote_count) == 0) & no_text
        self.prominence = np.asarray(c.movie_prominence, np.float32)

    def with_ratings(
        self,
        cf: tuple[Array, Array],
        co: tuple[Array, Array],
        co_liked_pairs: Callable[[Array, Array], tuple[Array, ...]] | None,
    ) -> PairFeatures:
        """The same content side with other collaborative lists (the users of one fold, or
        all of them), without recomputing what comes from the catalogue."""
        other = copy.copy(self)  # shares the catalogue's arrays; __post_init__ is not rerun
        other.cf_rows, other.cf_scores = cf
        other.co_rows, other.co_scores = co
        other.co_liked_pairs = co_liked_pairs
        return other

    def _co_liked(self, a: Array, b: Array) -> tuple[Array, Array, Array, Array]:
        """The co-liked similarity over a's best listed one's (so a listed pair reads the same
        either way), capped at 1; the pair's log lift; the share of a's viewers who liked b;
        and how much better a's fans rate b than everyone does."""
        if self.co_liked_pairs is None or self.co_rows.shape[1] == 0:
            listed = _list_lookup(self.co_rows, self.co_scores, a, b)[0]
            zero = np.zeros(len(a), np.float32)
            return listed, zero, zero, zero
        best = np.asarray(self.co_scores[a, 0], np.float32)
        similarity, lift, given, gap = (
            np.asarray(v, np.float32) for v in self.co_liked_pairs(a, b)
        )
        share = np.minimum(similarity / np.maximum(best, 1e-9), 1.0)
        return np.where(best > 0, share, 0.0).astype(np.float32), lift, given, gap

    def _pair_dot(self, name: str, a: Array, b: Array) -> Array:
        m = self._groups[name]
        return np.asarray(m[a].multiply(m[b]).sum(axis=1), np.float32).ravel()

    def genre_share(self, a: Array, b: Array) -> Array:
        """The IDF-weighted share of a's genres that b has too (1 when a has none)."""
        shared = np.asarray(self._genre_idf[a].multiply(self._has_genre[b]).sum(axis=1)).ravel()
        mass = self._genre_mass[a]
        return np.divide(shared, mass, out=np.ones_like(shared), where=mass > 0)

    def _kind_genres_apart(self, a: Array, b: Array) -> Array:
        """Pairs a kind genre tells apart: one animated and the other not (or a documentary),
        or a horror film's candidate that is not horror."""
        apart = np.zeros(len(a), bool)
        for has, both_ways in self._kind_genres:
            apart |= has[a] & ~has[b]
            if both_ways:
                apart |= has[b] & ~has[a]
        return apart

    def other_kind(self, a: Array, b: Array, x: Array, min_share: float) -> Array:
        """Pairs whose candidate a fan would not call the same kind of film: a short, TV movie
        or special for a feature film (or the reverse), other genres
        (`RankerParams.min_genre_share`) or another kind genre (`KIND_GENRES`); `x` are
        their features."""
        share = self.genre_share(a, b)
        col = {name: i for i, name in enumerate(FEATURES)}
        maker = (x[:, col["same_director"]] > 0) & ((share > 0) | (x[:, col["shared_cast"]] > 0))
        genres_apart = (share < min_share) & ~maker
        format_apart = x[:, col["kind_mismatch"]] > 0
        genres_apart |= self._kind_genres_apart(a, b) & ~maker
        return (genres_apart | format_apart) & ~(x[:, col["same_collection"]] > 0)

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
        for name, values in zip(
            ("co_liked", "co_lift", "co_given", "co_rating"), self._co_liked(a, b), strict=True
        ):
            out[:, col[name]] = values
        collection = np.asarray(c.collection, np.int64)
        out[:, col["same_collection"]] = (collection[a] == collection[b]) & (collection[a] >= 0)
        out[:, col["same_director"]] = self._pair_dot("directors", a, b) > 0
        out[:, col["shared_cast"]] = np.minimum(self._pair_dot("cast", a, b), 3) / 3
        out[:, col["writers"]] = self._pair_dot("writers", a, b)
        out[:, col["key_crew"]] = self._pair_dot("key_crew", a, b)
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
        if self.own_similarities is not None:
            own_content, own_text = self.own_similarities
            out[:, col["reverse_content"]] = _would_rank(own_content, b, out[:, col["content"]])
            out[:, col["reverse_text"]] = _would_rank(own_text, b, text)
        depth = SHARED_NEIGHBOURS
        if self.own_neighbours is not None:
            own_content, own_text = self.own_neighbours
            out[:, col["shared_content_neighbours"]] = shared_neighbours(
                own_content[:, :depth], a, b
            )
            out[:, col["shared_text_neighbours"]] = shared_neighbours(own_text[:, :depth], a, b)
        out[:, col["shared_co_liked"]] = shared_neighbours(self.co_rows[:, :depth], a, b)
        if self.fans is not None:
            left_out = None if self.fans_left_out is None else self.fans_left_out[a]
            together, cosine = self.fans.pairs(a, b, left_out)
            out[:, col["fans_together"]] = together
            out[:, col["fans_cosine"]] = cosine
        return out


class FanLists:
    """Lists of films a fan names together — each judged query with what was named for it
    (`RankerParams.fans_lists`: every list in a build, the fit half's in `evaluate`) — read
    as evidence that two films are of a kind, the way co-ratings are read as
    evidence of taste: two films named in the same lists are alike for a fan, and a film
    named in none says nothing. Lists, not pairs: *Se7en* and *Zodiac* named in *Fight
    Club*'s list are alike too, so a film that is no judged query gets the signal when lists
    name it. A query's own list is left out where its labels are learned from
    (`PairFeatures.fans_left_out`), so the model learns what the lists say about films they
    were not written for."""

    def __init__(self, lists: list[Array], n: int) -> None:
        import scipy.sparse as sp

        indptr = np.cumsum([0, *(len(members) for members in lists)])
        indices = np.concatenate([*lists, np.zeros(0, np.int64)]).astype(np.int64)
        self.members = sp.csr_matrix(
            (np.ones(len(indices), np.float32), indices, indptr), shape=(len(lists), n)
        )
        self.together = (self.members.T.tocsr() @ self.members).tocsr()  # lists naming both
        self.named = np.asarray(self.members.sum(axis=0), np.float32).ravel()
        self.written_for = np.asarray([m[0] for m in lists if len(m)], np.int64)

    def own(self) -> Array:
        """Per movie, the list written for it (its first member), -1 for the others."""
        out = np.full(self.members.shape[1], -1, np.int64)
        out[self.written_for] = np.arange(len(self.written_for))
        return out

    def pairs(self, a: Array, b: Array, left_out: Array | None = None) -> tuple[Array, Array]:
        """log(1 + lists naming both) and their cosine, each list in `left_out` (one per
        pair, -1 for none) not counted."""
        if len(a) == 0:  # (scipy's pair indexing wants at least one pair)
            return np.zeros(0, np.float32), np.zeros(0, np.float32)
        both = np.asarray(self.together[a, b], np.float32).ravel()
        named_a, named_b = self.named[a].copy(), self.named[b].copy()
        if left_out is not None and len(self.written_for):
            out = left_out >= 0
            lists = np.where(out, left_out, 0)
            in_a = np.asarray(self.members[lists, a], np.float32).ravel() * out
            in_b = np.asarray(self.members[lists, b], np.float32).ravel() * out
            both -= in_a * in_b
            named_a -= in_a
            named_b -= in_b
        cosine = np.divide(
            both, np.sqrt(named_a * named_b), out=np.zeros_like(both), where=both > 0
        )
        return np.log1p(both).astype(np.float32), cosine.astype(np.float32)

    def neighbours(self, k: int, left_out: Array | None = None) -> Array:
        """Each movie's k films most often named with it (then by cosine), -1 padded; a
        movie's list in `left_out` (per movie, -1 for none) not counted."""
        n = self.members.shape[1]
        out = np.full((n, k), -1, np.int32)
        if k == 0:
            return out
        together = self.together
        for row in np.flatnonzero(self.named > 0).tolist():
            start, stop = together.indptr[row], together.indptr[row + 1]
            others = together.indices[start:stop].astype(np.int64)
            counts = together.data[start:stop].astype(np.float32)
            keep = others != row
            others, counts = others[keep], counts[keep]
            if left_out is not None and left_out[row] >= 0:
                mine = self.members[int(left_out[row])].indices
                counts = counts - np.isin(others, mine)
                keep = counts > 0
                others, counts = others[keep], counts[keep]
            if not len(others):
                continue
            cosine = counts / np.sqrt(np.maximum(self.named[others], 1.0))
            order = np.lexsort((others, -cosine, -counts))[:k]
            out[row, : len(order)] = others[order]
        return out


def shared_neighbours(lists: Array, a: Array, b: Array, chunk: int = 512) -> Array:
    """The share of b's listed neighbours that a's list holds too (over the lists' width),
    for each pair (a[i], b[i]); `lists` is (n, k), -1 padded. A chunk of query movies at a
    time marks its neighbours in a dense table (a row per query movie, as wide as the largest
    listed row), and each pair counts its candidate's neighbours there: a gather, not a set
    intersection per pair."""
    k = lists.shape[1]
    out = np.zeros(len(a), np.float32)
    if k == 0 or len(a) == 0:
        return out
    span = int(lists.max()) + 1  # a row of marks per query movie, up to the largest listed row
    queries, local = np.unique(a, return_inverse=True)
    order = np.argsort(local, kind="stable")  # the pairs, by query movie
    starts = np.searchsorted(local[order], np.arange(0, len(queries) + chunk, chunk))
    for first, lo, hi in zip(range(0, len(queries), chunk), starts[:-1], starts[1:], strict=True):
        heads = np.asarray(lists[queries[first : first + chunk]])
        marks = np.zeros(len(heads) * span + 1, bool)  # the last one: a -1, never marked
        at_row, at_column = np.nonzero(heads >= 0)
        marks[at_row * span + heads[at_row, at_column]] = True
        pairs = order[lo:hi]
        theirs = np.asarray(lists[b[pairs]], np.int64)
        flat = np.where(
            theirs >= 0, (local[pairs] - first)[:, None] * span + theirs, len(marks) - 1
        )
        out[pairs] = marks[flat].sum(axis=1) / k
    return out


def _would_rank(similarities: Array, owner: Array, similarity: Array) -> Array:
    """1 / (1 + the rank similarity[i] would take in owner[i]'s list of similarities, best
    first); 0 below the list or when not similar at all. Defined for any query, listed there
    or not (a film under `known_votes` votes never is)."""
    if similarities.shape[1] == 0:
        return np.zeros(len(owner), np.float32)
    above = np.asarray(similarities[owner], np.float32) > similarity[:, None] + 1e-6
    rank = above.sum(axis=1)
    inside = (rank < similarities.shape[1]) & (similarity > 0)
    return np.where(inside, 1.0 / (1.0 + rank), 0.0).astype(np.float32)


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


Sources = list[tuple[Array, int]]  # neighbour lists (n, k) and how many of each to take


def candidates(catalog: Catalog, row: int, sources: Sources, params: RankerParams) -> Array:
    """Candidate rows for `row` (never itself): the heads of its neighbour lists, its
    collection's and its directors' other movies."""
    found: set[int] = set()
    for neighbours, take in sources:
        if neighbours.shape[1]:
            found.update(int(r) for r in neighbours[row, :take] if r >= 0)
    collection = catalog.collection_at[row]
    if collection >= 0:
        found.update(catalog.collections.movies.group_list(collection)[: params.per_group])
    for director in catalog.movie_directors.group_list(row):
        found.update(catalog.directed.group_list(director)[: params.per_group])
    found.discard(row)
    return np.fromiter(sorted(found), np.int64, len(found))


def candidate_pairs(
    catalog: Catalog, rows: Array, sources: Sources, params: RankerParams
) -> tuple[Array, Array]:
    pairs_a, pairs_b = [], []
    for row in np.asarray(rows, np.int64).tolist():
        found = candidates(catalog, row, sources, params)
        pairs_a.append(np.full(len(found), row, np.int64))
        pairs_b.append(found)
    if not pairs_a:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(pairs_a), np.concatenate(pairs_b)


class Ranker:
    """A fitted LightGBM ranker over FEATURES; contributions are its TreeSHAP values."""

    def __init__(self, booster: Any, drop: tuple[str, ...] = ()) -> None:
        self.booster = booster
        self.features = FEATURES
        self.drop = drop  # features it was trained without (held at 0)

    def _input(self, x: Array) -> Array:
        if not self.drop:
            return x
        x = x.copy()
        for name in self.drop:
            x[:, FEATURES.index(name)] = 0.0
        return x

    def score(self, x: Array) -> Array:
        """The ranking score through a logistic, in (0, 1): positive, so a taste profile can
        scale each list to its best."""
        raw = np.asarray(self.booster.predict(self._input(x)), np.float64)
        return np.asarray(1.0 / (1.0 + np.exp(-raw)), np.float32)

    def contributions(self, x: Array) -> Array:
        """Per pair and feature, what it added to the raw ranking score (TreeSHAP; the row's
        contributions and the model's bias sum to it)."""
        values = self.booster.predict(self._input(x), pred_contrib=True)
        return np.asarray(values[:, : len(FEATURES)], np.float32)

    def importance(self) -> dict[str, float]:
        gains = self.booster.feature_importance(importance_type="gain")
        total = float(gains.sum()) or 1.0
        return {f: round(float(g) / total, 4) for f, g in zip(self.features, gains, strict=True)}

    def save(self, path: Path) -> None:
        path.write_text(self.booster.model_to_string(), "utf-8")

    @classmethod
    def load(cls, path: Path, drop: tuple[str, ...] = ()) -> Ranker:
        import lightgbm as lgb

        return cls(lgb.Booster(model_str=path.read_text("utf-8")), drop)


class PriorRanker(Ranker):
    """The fallback when a catalogue has nothing to learn from (no judged movie with a
    similar one among its candidates, no ratings: tiny or synthetic inputs): a fixed linear
    score of the same features, so such catalogues still get sensible lists. Its
    contributions are each feature's weighted value."""

    WEIGHTS: dict[str, float] = {  # noqa: RUF012
        "content": 1.0,
        "text": 1.0,
        "collaborative": 1.0,
        "same_collection": 1.0,
        "same_director": 0.5,
        "shared_cast": 0.3,
        "writers": 0.3,
        "key_crew": 0.2,
        "keywords": 0.5,
        "genres": 0.5,
        "quality": 0.3,
        "kind_mismatch": -1.0,
        "obscure": -2.0,
    }

    def __init__(self, drop: tuple[str, ...] = ()) -> None:
        self.booster = None
        self.features = FEATURES
        self.drop = drop
        self.weights = np.array([self.WEIGHTS.get(f, 0.0) for f in FEATURES], np.float32)

    def score(self, x: Array) -> Array:
        return np.asarray(1.0 / (1.0 + np.exp(-(self._input(x) @ self.weights - 1.0))), np.float32)

    def contributions(self, x: Array) -> Array:
        return np.asarray(self._input(x) * self.weights, np.float32)

    def importance(self) -> dict[str, float]:
        return {f: float(w) for f, w in zip(FEATURES, self.weights, strict=True)}

    def save(self, path: Path) -> None:
        import json

        path.write_text(json.dumps({"prior": self.importance(), "drop": list(self.drop)}), "utf-8")


@dataclass
class TrainingSet:
    x: Array
    y: Array
    weight: Array
    group: Array  # query index, for reports

    @classmethod
    def concat(cls, parts: list[TrainingSet], shares: list[float]) -> TrainingSet:
        """Parts weighted to the given shares of the total weight; their queries kept apart."""
        scaled, groups, offset = [], [], 0
        for part, share in zip(parts, shares, strict=True):
            total = float(part.weight.sum())
            scaled.append(part.weight * (share / total if total > 0 else 0.0))
            groups.append(part.group + offset)
            offset += int(part.group.max()) + 1 if len(part.group) else 0
        return cls(
            np.concatenate([p.x for p in parts]),
            np.concatenate([p.y for p in parts]),
            np.concatenate(scaled),
            np.concatenate(groups),
        )


def labelled(
    features: PairFeatures,
    catalog: Catalog,
    queries: list[tuple[int, frozenset[int]]],
    sources: Sources,
    params: RankerParams,
) -> TrainingSet:
    """Candidates of each query movie, labelled 1 when in its positive set; every query
    weighs the same whatever its number of candidates. The pairs' features are computed
    together, a chunk of queries at a time (a call per query costs more than the pairs)."""
    pairs_a, pairs_b, ys, ws, gs = [], [], [], [], []
    for i, (row, positives) in enumerate(queries):
        found = candidates(catalog, row, sources, params)
        if len(found) == 0:
            continue
        y = np.fromiter((r in positives for r in found.tolist()), np.float32, len(found))
        if not y.any():
            continue
        pairs_a.append(np.full(len(found), row, np.int64))
        pairs_b.append(found)
        ys.append(y)
        ws.append(np.full(len(found), 1.0 / len(found), np.float32))
        gs.append(np.full(len(found), i, np.int64))
    if not ys:
        width = len(FEATURES)
        return TrainingSet(np.zeros((0, width), np.float32), np.zeros(0), np.zeros(0), np.zeros(0))
    xs = [
        features(
            np.concatenate(pairs_a[at : at + LABELLED_CHUNK]),
            np.concatenate(pairs_b[at : at + LABELLED_CHUNK]),
        )
        for at in range(0, len(pairs_a), LABELLED_CHUNK)
    ]
    return TrainingSet(np.vstack(xs), np.concatenate(ys), np.concatenate(ws), np.concatenate(gs))


def fit_ranker(data: TrainingSet, params: RankerParams, drop: tuple[str, ...] = ()) -> Ranker:
    """LightGBM's lambdarank over each query's candidates (what matters is the order within
    a list, top first, not a probability across lists); small trees, many examples per leaf:
    the judged half is a few thousand pairs. Features in `drop` are held at 0 (the
    content-only model). A query weighs its rows' total weight."""
    import lightgbm as lgb

    x = data.x.copy()
    for name in drop:
        x[:, FEATURES.index(name)] = 0.0
    order = np.argsort(data.group, kind="stable")
    groups, starts, sizes = np.unique(data.group[order], return_index=True, return_counts=True)
    query_weight = np.add.reduceat(data.weight[order], starts) * len(groups)
    model = lgb.LGBMRanker(
        objective="lambdarank",
        n_estimators=params.trees,
        learning_rate=params.learning_rate,
        num_leaves=params.leaves,
        min_child_samples=params.min_leaf,
        subsample=0.8,
        subsample_freq=1,
        colsample_bytree=0.8,
        lambdarank_truncation_level=params.truncation,
        monotone_constraints=[MONOTONE.get(f, 0) for f in FEATURES],
        random_state=params.seed,
        n_jobs=2,
        verbose=-1,
    )
    model.fit(x[order], data.y[order], group=sizes, sample_weight=np.repeat(query_weight, sizes))
    return Ranker(model.booster_, drop)


@dataclass
class RankedLists:
    """Each movie's `width` best candidates by a model, best first, -1 padded."""

    rows: Array  # (n, width) int32
    scores: Array  # (n, width) float32 in (0, 1)
    contributions: Array  # (n, width, len(FEATURES)) float32, TreeSHAP (0 where not computed)


def rank_all(
    catalog: Catalog,
    features: PairFeatures,
    rankers: list[Ranker],
    sources: list[Sources],
    params: RankerParams,
    width: int,
    explain: list[int],
    progress: Any = None,
    chunk: int = 1024,
    overlap: bool = True,
) -> list[RankedLists]:
    """Every movie's list by each ranker (its own candidate sources), features computed once
    per pair; the contributions of the first `explain[i]` of each list by ranker i (TreeSHAP
    costs ~50 µs a pair). A movie with no votes and no overview never enters a known film's
    list; one of another kind (`PairFeatures.other_kind`) comes after those of the same kind,
    its score scaled by OTHER_KIND.

    With `overlap`, a chunk's features are computed while the one before is scored in another
    thread: the features are mostly single-threaded NumPy and Python, LightGBM's scoring and
    TreeSHAP release the GIL, so the two cores both work (a fifth of the ranking's time: docs/benchmarks.md). The
    lists are the same either way (each chunk writes only its own movies' rows)."""
    n = len(catalog)
    out = [
        RankedLists(
            np.full((n, width), -1, np.int32),
            np.zeros((n, width), np.float32),
            np.zeros((n, width, len(FEATURES)), np.float32),
        )
        for _ in rankers
    ]
    union: Sources = []
    for group in sources:
        for pair in group:
            if not any(pair[0] is u[0] for u in union):
                union.append(pair)
    votes = np.asarray(catalog.vote_count)

    Job = tuple[Array, Array, Array, Array, Array]  # pairs (a, b), features, other kind, rows

    def prepare(rows: Array) -> list[Job]:
        """Each ranker's candidate pairs of these movies, with their features."""
        a, b = candidate_pairs(catalog, rows, union, params)
        x = features(a, b)
        gate = features.obscure[b] & (votes[a] >= 20)
        other = features.other_kind(a, b, x, params.min_genre_share)
        proposed: dict[tuple[int, int], Array] = {}  # by each source, once per chunk
        by_group = (x[:, FEATURES.index("same_collection")] > 0) | (
            x[:, FEATURES.index("same_director")] > 0
        )  # candidates by collection or director, whatever the sources
        jobs: list[Job] = []
        for group in sources:
            mine = by_group.copy()
            for neighbours, take in group:
                key = (id(neighbours), take)
                if key not in proposed:
                    proposed[key] = _proposed_by(neighbours, take, a, b)
                mine |= proposed[key]
            mine &= ~gate
            jobs.append((a[mine], b[mine], x[mine], other[mine], rows))
        return jobs

    def rank(jobs: list[Job]) -> None:
        for ranker, lists, depth, (a, b, x, other, rows) in zip(
            rankers, out, explain, jobs, strict=True
        ):
            _keep_best(lists, ranker, a, b, x, other, rows, width, depth)

    chunks = [np.arange(start, min(n, start + chunk)) for start in range(0, n, chunk)]
    progress = progress or SilentProgress()
    progress.start(len(chunks), "ranking every movie's candidates")
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rank") if overlap else None
    try:
        pending: Future[None] | None = None
        for rows in chunks:
            jobs = prepare(rows)
            if pool is None:
                rank(jobs)
            else:
                if pending is not None:
                    pending.result()
                pending = pool.submit(rank, jobs)
            progress.advance("ranking every movie's candidates")
        if pending is not None:
            pending.result()
    finally:
        if pool is not None:  # an interrupted build waits for the chunk being scored only
            pool.shutdown(wait=True, cancel_futures=True)
        progress.finish()
    return out


def _proposed_by(neighbours: Array, take: int, a: Array, b: Array) -> Array:
    """Which pairs (a[i], b[i]) the head of this neighbour list proposes."""
    if not neighbours.shape[1]:
        return np.zeros(len(a), bool)
    head = np.asarray(neighbours[a, :take], np.int64)
    return (head == b[:, None]).any(axis=1)


def _keep_best(
    lists: RankedLists,
    ranker: Ranker,
    a: Array,
    b: Array,
    x: Array,
    other_kind: Array,
    rows: Array,
    width: int,
    explain: int,
) -> None:
    if len(a) == 0:
        return
    score = ranker.score(x)
    score = np.where(other_kind, score * OTHER_KIND, score)  # a profile weighs it little too
    order = np.lexsort((b, -score, other_kind, a))  # the same kind first, whatever the scores
    a, b, score, x = a[order], b[order], score[order], x[order]
    starts = np.searchsorted(a, rows)
    stops = np.searchsorted(a, rows, side="right")
    take = np.concatenate(
        [np.arange(s, min(e, s + width)) for s, e in zip(starts, stops, strict=True)]
    ).astype(np.int64)
    position = take - np.repeat(starts, np.minimum(stops - starts, width))
    movie = a[take]
    lists.rows[movie, position] = b[take]
    lists.scores[movie, position] = score[take]
    explained = position < explain
    if explained.any():
        lists.contributions[movie[explained], position[explained]] = ranker.contributions(
            x[take[explained]]
        )


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


def text_vectors(build_dir: Path, n: int) -> Array:
    """The catalogue's text embeddings (zeros when the build has none)."""
    from cinerec.catalog.arrays import load_array
    from cinerec.recommend.text_search import TEXT_INDEX

    path = build_dir / TEXT_INDEX
    if (path / "vectors.npy").is_file():
        return np.asarray(load_array(path, "vectors"), np.float32)
    return np.zeros((n, 1), np.float32)
