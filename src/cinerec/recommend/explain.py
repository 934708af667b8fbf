"""Why a movie is recommended, in words; stored at training time for the default lists.

`reasons` explains any recommendation from the catalogue: what it shares with the query
movies (directors, collection, writers, top-billed cast, keywords, genres) and whether the same
viewers liked it. For each movie's first EXPLAINED default (`Ranked`) recommendations the
words are computed at training time by the same function and stored (`Explanations`): a
request then reads one string per item instead of intersecting credits and decoding names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from cinerec.catalog.arrays import Csr, StringTable, load_array, save_array, scalars
from cinerec.catalog.loaded import Catalog
from cinerec.recommend.links import (
    FANS_NAMED,
    SAME_COLLECTION,
    SAME_DIRECTOR,
    SAME_GENRES,
    SAME_KEY_CREW,
    SAME_WRITER,
    SHARED_CAST,
    SHARED_KEYWORDS,
    SIMILAR_STORY,
    TOP_BILLED,
)

MAX_REASON_ITEMS = 3
EVERYTHING = (
    SAME_DIRECTOR
    | SAME_COLLECTION
    | SAME_WRITER
    | SAME_KEY_CREW
    | SHARED_CAST
    | SHARED_KEYWORDS
    | SAME_GENRES
)
# how a reason names a key crew member's job (`catalog.indexer.KEY_CREW_JOBS`, in order)
KEY_CREW_ROLES = (
    "producer",
    "executive producer",
    "music",
    "music",
    "cinematography",
    "editing",
    "production design",
)
EXPLAINED = 12  # stored per movie: the API's default 10 and the web page's 12
SEPARATOR = "\x1f"  # between the reasons of one recommendation (never in a name)


@dataclass(frozen=True)
class Source:
    """What the query movies have, gathered once per request for all the reasons."""

    directors: set[int]
    collections: set[int]
    writers: set[int]
    key_crew: set[int]
    cast: set[int]
    keywords: set[int]
    genres: set[int]

    @classmethod
    def of(cls, catalog: Catalog, source: list[int], kinds: int = EVERYTHING) -> Source:
        """Only the `kinds` (`links` bits) some reason will look at are read."""

        def union(bit: int, groups: Csr, head: int | None = None) -> set[int]:
            found: set[int] = set()
            if kinds & bit:
                for s in source:
                    found.update(groups.group_list(s)[:head])
            return found

        return cls(
            directors=union(SAME_DIRECTOR, catalog.movie_directors),
            collections={catalog.collection_at[s] for s in source} - {-1},
            writers=union(SAME_WRITER, catalog.movie_writers),
            key_crew=union(SAME_KEY_CREW, catalog.movie_key_crew),
            cast=union(SHARED_CAST, catalog.movie_cast, TOP_BILLED),
            keywords=union(SHARED_KEYWORDS, catalog.keywords.of_movie),
            genres=union(SAME_GENRES, catalog.genres.of_movie),
        )


def reasons(
    catalog: Catalog, src: Source, row: int, co_liked: bool, shared: int | None = None
) -> list[str]:
    """Why `row` is recommended for the query movies summarized in `src`, in words.

    `shared`: the `links` bits of what `row` shares with the (single) query movie, when the
    model knows them; only those kinds are then looked up, the others are known to be empty.
    Names are listed in the recommended movie's order, at most MAX_REASON_ITEMS of each kind.
    """
    check = EVERYTHING if shared is None else shared
    if not check:  # known to share nothing
        return ["liked by the same viewers"] if co_liked else ["well rated"]
    said: list[str] = []
    person = catalog.person_name.text
    directors: list[int] = []
    if check & SAME_DIRECTOR:
        same = directors = [
            d for d in catalog.movie_directors.group_list(row) if d in src.directors
        ]
        if same:
            said.append("same director: " + ", ".join([person(d) for d in same[:MAX_REASON_ITEMS]]))
    if check & SAME_COLLECTION:
        collection = catalog.collection_at[row]
        if collection in src.collections:
            said.append("same collection: " + catalog.collections.name.text(collection))
    named = set(directors)
    if check & SAME_WRITER:
        # a writer-director is named once, as the director
        same = [
            w
            for w in catalog.movie_writers.group_list(row)
            if w in src.writers and w not in directors
        ]
        named.update(same)
        if same:
            said.append("same writer: " + ", ".join([person(w) for w in same[:MAX_REASON_ITEMS]]))
    if check & SAME_KEY_CREW:
        # named once: a producer who directed or wrote both is named as such above
        start = int(catalog.movie_key_crew.indptr[row])
        crew = [
            (p, KEY_CREW_ROLES[int(catalog.movie_key_crew_job[start + i])])
            for i, p in enumerate(catalog.movie_key_crew.group_list(row))
            if p in src.key_crew and p not in named
        ]
        if crew:
            said.append(
                "same makers: "
                + ", ".join([f"{person(p)} ({role})" for p, role in crew[:MAX_REASON_ITEMS]])
            )
    if check & SHARED_CAST:
        same = [p for p in catalog.movie_cast.group_list(row)[:TOP_BILLED] if p in src.cast]
        if same:
            said.append("shared cast: " + ", ".join([person(p) for p in same[:MAX_REASON_ITEMS]]))
    if check & SHARED_KEYWORDS:
        same = [k for k in catalog.keywords.of_movie.group_list(row) if k in src.keywords]
        if same:
            keyword = catalog.keywords.name.text
            said.append(
                "shared keywords: " + ", ".join([keyword(k) for k in same[:MAX_REASON_ITEMS]])
            )
    if shared is not None and shared & SIMILAR_STORY:
        said.append("a similar story")
    if shared is not None and shared & FANS_NAMED:
        said.append("film fans name them together")
    if co_liked:
        said.append("liked by the same viewers")
    if check & SAME_GENRES and len(said) < 2:
        same = [g for g in catalog.genres.of_movie.group_list(row) if g in src.genres]
        if same:
            genre = catalog.genres.name.text
            said.append("same genres: " + ", ".join([genre(g) for g in same[:MAX_REASON_ITEMS]]))
    if not said:
        said.append("well rated")
    return said


@dataclass(frozen=True)
class Explanations:
    """The reasons of the first EXPLAINED recommendations of each movie's `Ranked` row, for
    that movie alone as the query: `ids[movie, position]` is a row of `texts` (the distinct
    reason lists, joined by SEPARATOR), -1 where there is no recommendation."""

    ids: np.ndarray[Any, Any]  # (n, EXPLAINED) int32
    texts: StringTable
    _ids: memoryview = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_ids", scalars(self.ids.reshape(-1)))

    def of(self, movie: int, position: int) -> list[str] | None:
        """The reasons of a movie's ranked recommendation, None where not stored."""
        if position >= EXPLAINED:
            return None
        text = self._ids[movie * EXPLAINED + position]
        return None if text < 0 else self.texts.text(text).split(SEPARATOR)

    def save(self, directory: Path) -> None:
        save_array(directory, "explained_ids", self.ids)
        self.texts.save(directory, "explained_texts")

    @classmethod
    def load(cls, directory: Path) -> Explanations:
        return cls(
            load_array(directory, "explained_ids"), StringTable.load(directory, "explained_texts")
        )


def explain_ranked(
    catalog: Catalog,
    rows: np.ndarray[Any, Any],
    co_liked: np.ndarray[Any, Any],
    shared: np.ndarray[Any, Any],
) -> Explanations:
    """`reasons` of the first EXPLAINED entries of each movie's ranked `rows`."""
    n = len(rows)
    width = min(EXPLAINED, rows.shape[1])
    ids = np.full((n, EXPLAINED), -1, np.int32)
    distinct: dict[str, int] = {}
    top_rows = rows[:, :width].tolist()
    top_co_liked = co_liked[:, :width].tolist()
    top_shared = shared[:, :width].tolist()
    for movie in range(n):
        kinds = 0
        for bits in top_shared[movie]:
            kinds |= bits
        src = Source.of(catalog, [movie], kinds)
        for position, (row, liked, bits) in enumerate(
            zip(top_rows[movie], top_co_liked[movie], top_shared[movie], strict=True)
        ):
            if row < 0:
                break
            text = SEPARATOR.join(reasons(catalog, src, row, liked, bits))
            ids[movie, position] = distinct.setdefault(text, len(distinct))
    return Explanations(ids, StringTable.from_strings(list(distinct)))
