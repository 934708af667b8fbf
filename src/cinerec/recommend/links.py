"""What a recommended movie shares with the movie it is recommended for, as bits.

Computed at training time for every stored pair of `model.Ranked` (n × RANKED pairs, with
sparse products), so a request explains a recommendation by naming what it knows is shared
instead of intersecting every kind of credit of every recommended movie (`explain.reasons`
reads these bits; a test checks them against the intersections).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from cinerec.catalog.arrays import Csr
from cinerec.catalog.loaded import Catalog

if TYPE_CHECKING:
    import scipy.sparse as sp

SAME_DIRECTOR = 1
SAME_COLLECTION = 2
SHARED_CAST = 4  # among the TOP_BILLED of each
SHARED_KEYWORDS = 8
SAME_GENRES = 16
SIMILAR_STORY = 32  # close text embeddings (set by the model when that signal contributed)
SAME_WRITER = 64  # a writer in common (screenplay, story, the novel adapted)
SAME_KEY_CREW = 128  # a producer, composer, cinematographer, editor or designer in common
# named together in the fans' lists (`ranker.FanLists`; set by the model when that signal
# contributed: the lists are not in the serving index, so no other reason can say it)
FANS_NAMED = 256
TOP_BILLED = 5


def _membership(groups: Csr, n: int, head: int | None = None) -> sp.csr_matrix:
    """Movies × entities, 1 where the movie has the entity (only its first `head` if given)."""
    import scipy.sparse as sp  # training only: serving never imports SciPy

    indptr = np.asarray(groups.indptr, np.int64)
    items = np.asarray(groups.items, np.int64)
    if head is not None:
        sizes = np.minimum(np.diff(indptr), head)
        new_indptr = np.zeros(n + 1, np.int64)
        np.cumsum(sizes, out=new_indptr[1:])
        within = np.arange(int(new_indptr[-1])) - np.repeat(new_indptr[:-1], sizes)
        items = items[np.repeat(indptr[:-1], sizes) + within]
        indptr = new_indptr
    width = int(items.max()) + 1 if len(items) else 1
    data = np.ones(len(items), np.float32)
    matrix = sp.csr_matrix((data, items, indptr), shape=(n, width))
    matrix.sum_duplicates()
    return matrix


def shared_content(
    catalog: Catalog,
    source: np.ndarray[Any, Any],
    target: np.ndarray[Any, Any],
    chunk: int = 500_000,
) -> np.ndarray[Any, Any]:
    """Bits of what each pair (source[i], target[i]) of movie rows shares; 0 where target < 0."""
    n = len(catalog)
    source = np.asarray(source, np.int64)
    target = np.asarray(target, np.int64)
    valid = target >= 0
    s, t = source[valid], target[valid]
    bits = np.zeros(len(s), np.uint8)
    collection = np.asarray(catalog.collection, np.int64)
    bits[(collection[s] == collection[t]) & (collection[s] >= 0)] |= SAME_COLLECTION
    for bit, groups, head in (
        (SAME_DIRECTOR, catalog.movie_directors, None),
        (SAME_WRITER, catalog.movie_writers, None),
        (SAME_KEY_CREW, catalog.movie_key_crew, None),
        (SHARED_CAST, catalog.movie_cast, TOP_BILLED),
        (SHARED_KEYWORDS, catalog.keywords.of_movie, None),
        (SAME_GENRES, catalog.genres.of_movie, None),
    ):
        matrix = _membership(groups, n, head)
        for start in range(0, len(s), chunk):
            a, b = s[start : start + chunk], t[start : start + chunk]
            common = np.asarray(matrix[a].multiply(matrix[b]).sum(axis=1)).ravel()
            bits[start : start + chunk] |= np.where(common > 0, bit, 0).astype(np.uint8)
    out = np.zeros(len(source), np.uint8)
    out[valid] = bits
    return out
