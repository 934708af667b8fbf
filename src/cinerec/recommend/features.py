"""Item features from the catalogue tables: a sparse block per signal, weighted and normalized."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from cinerec.catalog.indexer import KEY_CREW_JOBS, NOT_WRITERS, WRITING_DEPARTMENT
from cinerec.progress import Progress
from cinerec.store import TABLES

DEFAULT_WEIGHTS: dict[str, float] = {
    "text": 1.0,
    "keywords": 1.0,
    "collection": 1.5,
    "directors": 1.0,
    "cast": 0.8,
    "writers": 0.8,
    "key_crew": 0.5,
    "companies": 0.4,
    "genres": 0.8,
    "language": 0.3,
    "era": 0.3,
}
TOP_CAST = 5


@dataclass
class ItemFeatures:
    """`sparse`: rare, specific signals; `dense`: broad ones (genres, language, era)."""

    ids: np.ndarray[Any, Any]
    sparse: sp.csr_matrix
    dense: np.ndarray[Any, Any]


def _one_hot(movie_rows: np.ndarray[Any, Any], keys: list[Any], n: int) -> sp.csr_matrix:
    vocab: dict[Any, int] = {}
    cols = np.fromiter((vocab.setdefault(k, len(vocab)) for k in keys), np.int64, len(keys))
    ok = movie_rows >= 0
    data = np.ones(int(ok.sum()), dtype=np.float32)
    m = sp.csr_matrix((data, (movie_rows[ok], cols[ok])), shape=(n, max(len(vocab), 1)))
    m.sum_duplicates()
    m.data[:] = 1.0
    return m


def _idf(m: sp.csr_matrix) -> sp.csr_matrix:
    df = np.asarray((m > 0).sum(axis=0)).ravel()
    idf = np.log((1 + m.shape[0]) / (1 + df)) + 1.0
    return sp.csr_matrix(m.multiply(idf[None, :]))


def build_features(
    build_dir: Path,
    weights: dict[str, float] | None = None,
    progress: Progress | None = None,
) -> ItemFeatures:
    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    tables = build_dir / TABLES
    movies = pq.read_table(
        tables / "movies.parquet",
        columns=["id", "overview", "tagline", "collection_id", "original_language", "release_year"],
    )
    ids = np.asarray(movies.column("id").to_numpy(), np.int64)
    n = len(ids)
    row_of = {int(v): i for i, v in enumerate(ids)}

    def rows(table: Any) -> np.ndarray[Any, Any]:
        return np.fromiter(
            (row_of.get(i, -1) for i in table.column("movie_id").to_pylist()),
            np.int64,
            table.num_rows,
        )

    texts = [
        " ".join(x for x in (o, t) if x)
        for o, t in zip(
            movies.column("overview").to_pylist(), movies.column("tagline").to_pylist(), strict=True
        )
    ]
    vectorizer = TfidfVectorizer(
        sublinear_tf=True, stop_words="english", min_df=2, max_df=0.02, dtype=np.float32
    )
    try:
        text = sp.csr_matrix(vectorizer.fit_transform(texts))
    except ValueError:  # no text at all (tiny inputs)
        text = sp.csr_matrix((n, 1), dtype=np.float32)

    blocks: dict[str, sp.csr_matrix] = {"text": text}
    kw = pq.read_table(tables / "keywords.parquet", columns=["movie_id", "keyword_id"])
    blocks["keywords"] = _idf(_one_hot(rows(kw), kw.column("keyword_id").to_pylist(), n))
    collection = movies.column("collection_id").to_pylist()
    blocks["collection"] = _one_hot(
        np.asarray([i if c is not None else -1 for i, c in enumerate(collection)], np.int64),
        [c if c is not None else -1 for c in collection],
        n,
    )
    crew = pq.read_table(tables / "movie_crew.parquet", columns=["movie_id", "person_key", "job"])
    directors = crew.filter(
        np.asarray([j == "Director" for j in crew.column("job").to_pylist()], bool)
    )
    blocks["directors"] = _idf(
        _one_hot(rows(directors), directors.column("person_key").to_pylist(), n)
    )
    cast = pq.read_table(
        tables / "movie_cast.parquet", columns=["movie_id", "person_key", "cast_order"]
    )
    top = cast.filter(
        np.asarray(
            [
                (o if o is not None else 99) < TOP_CAST
                for o in cast.column("cast_order").to_pylist()
            ],
            bool,  # also when there is no cast at all
        )
    )
    blocks["cast"] = _idf(_one_hot(rows(top), top.column("person_key").to_pylist(), n))
    comp = pq.read_table(tables / "companies.parquet", columns=["movie_id", "company_id"])
    blocks["companies"] = _idf(_one_hot(rows(comp), comp.column("company_id").to_pylist(), n))
    for name, members in crew_members(build_dir, ids).items():
        blocks[name] = _idf(members)

    sparse = sp.hstack(
        [normalize(blocks[name]) * np.float32(np.sqrt(weights[name])) for name in blocks],
        format="csr",
        dtype=np.float32,
    )

    genres = pq.read_table(tables / "genres.parquet", columns=["movie_id", "genre_id"])
    genre_block = normalize(_one_hot(rows(genres), genres.column("genre_id").to_pylist(), n))
    languages = movies.column("original_language").to_pylist()
    language_block = _one_hot(np.arange(n), [x or "" for x in languages], n)
    years = np.asarray(movies.column("release_year").to_numpy(zero_copy_only=False), np.float64)
    decade = np.clip(((years - 1900) // 10).astype(np.int64), 0, 13)
    era = np.zeros((n, 14), dtype=np.float32)
    era[np.arange(n), decade] = 1.0
    # neighbouring decades count half, so 1994 and 2001 are not strangers
    era[:, 1:] += 0.5 * era[:, :-1].copy()
    era[:, :-1] += 0.5 * (era[:, 1:] == 1.0)
    era = normalize(era)
    dense = np.hstack(
        [
            genre_block.toarray() * np.sqrt(weights["genres"]),
            language_block.toarray()[:, _top_columns(language_block, 40)]
            * np.sqrt(weights["language"]),
            era * np.sqrt(weights["era"]),
        ]
    ).astype(np.float32)
    return ItemFeatures(ids=ids, sparse=sparse, dense=dense)


def crew_members(build_dir: Path, ids: np.ndarray[Any, Any]) -> dict[str, sp.csr_matrix]:
    """Movies (rows of the sorted `ids`) × people of the build's crew table: "writers" and
    "key_crew" (no columns when the build has no crew table)."""
    n = len(ids)
    empty = {name: sp.csr_matrix((n, 1), dtype=np.float32) for name in ("writers", "key_crew")}
    path = build_dir / TABLES / "movie_crew.parquet"
    if not path.is_file() or n == 0:
        return empty
    crew = pq.read_table(path, columns=["movie_id", "person_key", "job", "department"])
    movies = np.asarray(crew.column("movie_id").to_numpy(zero_copy_only=False), np.int64)
    people = np.asarray(
        crew.column("person_key").fill_null(-1).to_numpy(zero_copy_only=False), np.int64
    )
    jobs = np.asarray(crew.column("job").to_pylist(), object)
    departments = np.asarray(crew.column("department").to_pylist(), object)
    ids = np.asarray(ids, np.int64)
    rows = np.clip(np.searchsorted(ids, movies), 0, n - 1)
    known = (ids[rows] == movies) & (people >= 0)
    kinds = {
        "writers": (departments == WRITING_DEPARTMENT) & ~np.isin(jobs, NOT_WRITERS),
        "key_crew": np.isin(jobs, KEY_CREW_JOBS),
    }
    out = dict(empty)
    for name, mask in kinds.items():
        keep = known & mask
        if keep.any():
            out[name] = _one_hot(rows[keep], people[keep].tolist(), n)
    return out


def _top_columns(m: sp.csr_matrix, k: int) -> np.ndarray[Any, Any]:
    counts = np.asarray(m.sum(axis=0)).ravel()
    return np.argsort(-counts)[:k]
