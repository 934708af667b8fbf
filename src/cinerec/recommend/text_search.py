"""Free-text search over overviews, taglines, titles and keywords ("a heist in space").

Fitted at build time with scikit-learn's TF-IDF; served from flat arrays (a term -> documents
inverted index), so a query is a few array slices and needs neither scikit-learn nor SciPy.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cinerec.catalog.arrays import StringTable, load_array, save_array
from cinerec.store import TABLES

TOKEN = re.compile(r"(?u)\b\w\w+\b")
TEXT_INDEX = "text"


def fit_text_index(build_dir: Path, out_dir: Path) -> int:
    """Write the inverted index of the catalogue's texts; return the vocabulary size."""
    import pyarrow.parquet as pq
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer

    movies = pq.read_table(
        build_dir / TABLES / "movies.parquet", columns=["id", "title", "overview", "tagline"]
    )
    ids = np.asarray(movies.column("id").to_numpy(), np.int64)
    keywords = pq.read_table(build_dir / TABLES / "keywords.parquet", columns=["movie_id", "name"])
    words: dict[int, list[str]] = {}
    for movie, name in zip(
        keywords.column("movie_id").to_pylist(), keywords.column("name").to_pylist(), strict=True
    ):
        words.setdefault(movie, []).append(name)
    docs = [
        " ".join(x for x in (t, o, g, " ".join(words.get(i, []))) if x)
        for i, t, o, g in zip(
            ids.tolist(),
            movies.column("title").to_pylist(),
            movies.column("overview").to_pylist(),
            movies.column("tagline").to_pylist(),
            strict=True,
        )
    ]
    vectorizer = TfidfVectorizer(
        sublinear_tf=True, stop_words="english", token_pattern=TOKEN.pattern, dtype=np.float32
    )
    try:
        matrix = vectorizer.fit_transform(docs)
    except ValueError:  # no words at all
        matrix = sp.csr_matrix((len(docs), 0), dtype=np.float32)
        vocabulary: list[str] = []
        idf = np.zeros(0, np.float32)
    else:
        vocabulary = list(vectorizer.get_feature_names_out())  # already sorted
        idf = vectorizer.idf_.astype(np.float32)
    csc = sp.csc_matrix(matrix)
    out_dir.mkdir(parents=True, exist_ok=True)
    StringTable.from_strings(vocabulary).save(out_dir, "vocabulary")
    save_array(out_dir, "idf", idf)
    save_array(out_dir, "indptr", csc.indptr.astype(np.int64))
    save_array(out_dir, "rows", csc.indices.astype(np.int32))
    save_array(out_dir, "weights", csc.data.astype(np.float32))
    save_array(out_dir, "n_docs", np.asarray([len(docs)], np.int64))
    return len(vocabulary)


@dataclass(frozen=True)
class Hit:
    row: int
    score: float
    terms: list[str]


class _Terms:
    def __init__(self, table: StringTable) -> None:
        self.table = table

    def __len__(self) -> int:
        return len(self.table)

    def __getitem__(self, i: int) -> str:
        return self.table.text(i)


class TextIndex:
    """The served inverted index."""

    def __init__(self, directory: Path) -> None:
        self.vocabulary = StringTable.load(directory, "vocabulary")
        self.idf = load_array(directory, "idf")
        self.indptr = load_array(directory, "indptr")
        self.rows = load_array(directory, "rows")
        self.weights = load_array(directory, "weights")
        self.n_docs = int(load_array(directory, "n_docs")[0])
        self._terms = _Terms(self.vocabulary)

    def term_id(self, term: str) -> int | None:
        i = bisect.bisect_left(self._terms, term)
        if i < len(self._terms) and self._terms[i] == term:
            return i
        return None

    def search(self, text: str, limit: int, prior: Any = None) -> tuple[list[Hit], int]:
        """Documents by cosine with the query's TF-IDF vector; `prior` breaks near-ties."""
        counts = Counter(TOKEN.findall(text.lower()))
        query: list[tuple[int, float, str]] = []
        for term, count in counts.items():
            tid = self.term_id(term)
            if tid is not None:
                query.append((tid, (1.0 + math.log(count)) * float(self.idf[tid]), term))
        if not query:
            return [], 0
        norm = math.sqrt(sum(w * w for _, w, _ in query))
        scores = np.zeros(self.n_docs, dtype=np.float32)
        matched: dict[int, list[str]] = {}
        for tid, weight, term in query:
            span = slice(int(self.indptr[tid]), int(self.indptr[tid + 1]))
            docs = self.rows[span]
            scores[docs] += self.weights[span] * np.float32(weight / norm)
            if len(docs) <= 5000:
                for d in docs.tolist():
                    matched.setdefault(d, []).append(term)
        found = np.flatnonzero(scores > 0)
        if prior is not None:
            ranking = scores[found] + 0.02 * np.asarray(prior, np.float32)[found]
        else:
            ranking = scores[found]
        order = found[np.argsort(-ranking, kind="stable")][:limit]
        return [Hit(int(r), float(scores[r]), matched.get(int(r), [])) for r in order], len(found)
