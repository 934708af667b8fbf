"""Free-text search over what a movie is about ("a clownfish looks for his lost son").

Hybrid retrieval, fitted at build time: each movie's text (title, tagline, overview, keywords,
genres) is embedded by the text encoder (`recommend.encoder`) into a memory-mapped matrix, and
indexed by scikit-learn's TF-IDF as a term -> documents inverted index. A query is embedded by
the same encoder; the ranking adds its cosine with every movie, the TF-IDF match (exact words:
names, places) and a light prominence prior (of two equally fitting movies, the better known
is the one meant). Serving needs neither scikit-learn, SciPy nor torch.
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
from cinerec.progress import Progress
from cinerec.store import TABLES

TOKEN = re.compile(r"(?u)\b\w\w+\b")
TEXT_INDEX = "text"
LEXICAL_WEIGHT = 0.4  # TF-IDF cosine, added to the embedding cosine (docs/search.md)
PRIOR_WEIGHT = 0.2  # prominence in [0, 1]
CANDIDATES = 500


def movie_texts(build_dir: Path) -> tuple[np.ndarray[Any, Any], list[str]]:
    """Movie ids and the text each is embedded and indexed by: title, tagline, overview,
    keywords and genres (what a description of it would mention)."""
    import pyarrow.parquet as pq

    tables = build_dir / TABLES
    movies = pq.read_table(
        tables / "movies.parquet", columns=["id", "title", "overview", "tagline"]
    )
    ids = np.asarray(movies.column("id").to_numpy(), np.int64)
    extra: dict[int, list[str]] = {}
    for name in ("keywords", "genres"):
        table = pq.read_table(tables / f"{name}.parquet", columns=["movie_id", "name"])
        for movie, label in zip(
            table.column("movie_id").to_pylist(), table.column("name").to_pylist(), strict=True
        ):
            if label:
                extra.setdefault(movie, []).append(label)
    texts = [
        ". ".join(x for x in (t, g, o, ", ".join(extra.get(i, []))) if x)
        for i, t, o, g in zip(
            ids.tolist(),
            movies.column("title").to_pylist(),
            movies.column("overview").to_pylist(),
            movies.column("tagline").to_pylist(),
            strict=True,
        )
    ]
    return ids, texts


def fit_text_index(build_dir: Path, out_dir: Path, progress: Progress | None = None) -> int:
    """Write the embeddings and the inverted index of the catalogue's texts; return the
    vocabulary size."""
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer

    from cinerec.recommend.encoder import ENCODER_DIR, TextEncoder

    _, docs = movie_texts(build_dir)
    encoder, vectors = TextEncoder.fit_transform(docs, progress)
    out_dir.mkdir(parents=True, exist_ok=True)
    encoder.save(out_dir / ENCODER_DIR)
    save_array(out_dir, "vectors", vectors)
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
    """The served index: embeddings, the encoder, and the inverted index."""

    def __init__(self, directory: Path) -> None:
        from cinerec.recommend.encoder import ENCODER_DIR, TextEncoder

        self.vocabulary = StringTable.load(directory, "vocabulary")
        self.idf = load_array(directory, "idf")
        self.indptr = load_array(directory, "indptr")
        self.rows = load_array(directory, "rows")
        self.weights = load_array(directory, "weights")
        self.n_docs = int(load_array(directory, "n_docs")[0])
        self.vectors = load_array(directory, "vectors")
        self.encoder = TextEncoder.load(directory / ENCODER_DIR)
        self._terms = _Terms(self.vocabulary)

    def term_id(self, term: str) -> int | None:
        i = bisect.bisect_left(self._terms, term)
        if i < len(self._terms) and self._terms[i] == term:
            return i
        return None

    def knows_a_word(self, text: str) -> bool:
        words = TOKEN.findall(text.lower())
        if any(self.term_id(w) is not None for w in words):
            return True
        return any(len(p) == 1 for p in self.encoder.piece_ids(words)) if words else False

    def lexical(self, text: str) -> tuple[np.ndarray[Any, Any], dict[int, list[str]]]:
        """Per document, the cosine of its TF-IDF vector with the query's; matched terms."""
        scores = np.zeros(self.n_docs, dtype=np.float32)
        matched: dict[int, list[str]] = {}
        counts = Counter(TOKEN.findall(text.lower()))
        query: list[tuple[int, float, str]] = []
        for term, count in counts.items():
            tid = self.term_id(term)
            if tid is not None:
                query.append((tid, (1.0 + math.log(count)) * float(self.idf[tid]), term))
        if not query:
            return scores, matched
        norm = math.sqrt(sum(w * w for _, w, _ in query))
        for tid, weight, term in query:
            span = slice(int(self.indptr[tid]), int(self.indptr[tid + 1]))
            docs = self.rows[span]
            scores[docs] += self.weights[span] * np.float32(weight / norm)
            if len(docs) <= 5000:
                for d in docs.tolist():
                    matched.setdefault(d, []).append(term)
        return scores, matched

    def search(self, text: str, limit: int, prominence: Any = None) -> tuple[list[Hit], int]:
        """The `limit` best documents (see the module docstring) and how many were ranked;
        none when no word of the query is a word the catalogue or the encoder knows
        ("zzzqqx" is split into pieces that mean nothing)."""
        if not self.knows_a_word(text):
            return [], 0
        semantic = self.vectors @ self.encoder.encode([text])[0]
        lexical, matched = self.lexical(text)
        if not semantic.any() and not lexical.any():
            return [], 0
        score = semantic + np.float32(LEXICAL_WEIGHT) * lexical
        if prominence is not None:
            score += np.float32(PRIOR_WEIGHT) * np.asarray(prominence, np.float32)
        k = min(CANDIDATES, len(score))
        top = np.argpartition(-score, k - 1)[:k] if k < len(score) else np.arange(len(score))
        order = top[np.argsort(-score[top], kind="stable")][:limit]
        return [Hit(int(r), float(score[r]), matched.get(int(r), [])) for r in order], k
