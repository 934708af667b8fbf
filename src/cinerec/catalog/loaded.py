"""The catalogue in memory: the prebuilt index, memory-mapped, with a few read helpers.

Loading opens files and parses one small JSON document; nothing is computed here.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from cinerec.catalog.arrays import (
    Csr,
    FloatArray,
    IntArray,
    KeyIndex,
    StringTable,
    load_array,
    scalars,
)
from cinerec.catalog.name_index import NameIndex
from cinerec.store import INDEX, CatalogNotFoundError, read_manifest, resolve_build_dir


@dataclass(frozen=True)
class Dimension:
    """Named entities linked to movies (genres, collections, companies, countries, keywords)."""

    key: Any  # int64 array, or StringTable for ISO codes
    name: StringTable
    movies: Csr  # movie rows per entity, most voted first
    names: KeyIndex  # match key of the name -> entity rows, biggest first
    of_movie: Csr  # entity rows per movie

    def __len__(self) -> int:
        return len(self.name)

    def key_of(self, row: int) -> Any:
        if isinstance(self.key, StringTable):
            return self.key.text(row)
        return int(self.key[row])

    @classmethod
    def load(cls, directory: Path, name: str) -> Dimension:
        key: Any
        if (directory / f"{name}.key.npy").exists():
            key = load_array(directory, f"{name}.key")
        else:
            key = StringTable.load(directory, f"{name}.key")
        return cls(
            key=key,
            name=StringTable.load(directory, f"{name}.name"),
            movies=Csr.load(directory, f"{name}.movies"),
            names=KeyIndex.load(directory, f"{name}.names"),
            of_movie=Csr.load(directory, f"movies.{name}"),
        )


class Catalog:
    """The loaded catalogue. Attributes are read-only arrays; rows are movie/person positions."""

    def __init__(self, build_dir: Path) -> None:
        index = build_dir / INDEX
        if not (index / "meta.json").is_file():
            raise CatalogNotFoundError(
                f"{build_dir} has tables but no serving index: run `cinerec build`"
            )
        self.build_dir = build_dir
        self.manifest: dict[str, Any] = read_manifest(build_dir)
        a = lambda name: load_array(index, name)  # noqa: E731
        s = lambda name: StringTable.load(index, name)  # noqa: E731
        self.movie_id: IntArray = a("movies.id")
        self.rank: IntArray = a("movies.rank")
        self.release_days = a("movies.release_days")
        self.release_date_text = s("movies.release_date")  # ISO dates
        self.release_year = a("movies.release_year")
        self.release_month = a("movies.release_month")
        self.release_weekday = a("movies.release_weekday")
        self.budget: FloatArray = a("movies.budget")
        self.revenue: FloatArray = a("movies.revenue")
        self.return_: FloatArray = a("movies.return")
        self.popularity: FloatArray = a("movies.popularity")
        self.vote_average: FloatArray = a("movies.vote_average")
        self.vote_count: IntArray = a("movies.vote_count")
        self.runtime: FloatArray = a("movies.runtime")
        self.language = a("movies.language")
        self.collection = a("movies.collection")
        self.title = s("movies.title")
        self.original_title = s("movies.original_title")
        self.overview = s("movies.overview")
        self.tagline = s("movies.tagline")
        self.poster_path = s("movies.poster_path")
        self.imdb_id = s("movies.imdb_id")
        self.homepage = s("movies.homepage")
        self.status = s("movies.status")
        self.titles = KeyIndex.load(index, "titles")
        self.title_key: IntArray = a("movies.title_key")  # position in `titles.keys`, -1 if none
        self.original_titles = KeyIndex.load(index, "original_titles")
        self.movie_cast = Csr.load(index, "movies.cast")
        self.movie_cast_character = s("movies.cast_character")
        self.movie_directors = Csr.load(index, "movies.directors")
        n_rows = len(self.movie_directors.indptr)

        def optional_csr(name: str) -> Csr:  # none in builds older than the array
            if (index / f"{name}.indptr.npy").exists():
                return Csr.load(index, name)
            return Csr(np.zeros(n_rows, np.int64), np.zeros(0, np.int64))

        # writers (builds since 2026-12) and key crew: producers, composers, ... (since
        # 2026-12-03); an older build has none, so no "same writer" / "same makers" reason
        self.movie_writers = optional_csr("movies.writers")
        self.movie_key_crew = optional_csr("movies.key_crew")
        self.movie_key_crew_job: np.ndarray[Any, Any] = (
            a("movies.key_crew_job")
            if (index / "movies.key_crew_job.npy").exists()
            else np.zeros(0, np.int8)
        )
        self.genres = Dimension.load(index, "genres")
        self.collections = Dimension.load(index, "collections")
        self.companies = Dimension.load(index, "companies")
        self.countries = Dimension.load(index, "countries")
        self.keywords = Dimension.load(index, "keywords")
        self.spoken_languages = Dimension.load(index, "spoken_languages")
        self.person_key: IntArray = a("people.key")
        self.person_name = s("people.name")
        self.person_names = KeyIndex.load(index, "people.names")
        self.cast = Csr.load(index, "people.cast")
        self.cast_order = a("people.cast_order")
        self.directed = Csr.load(index, "people.directed")
        # ranked search (`queries.search`): word indexes and prominence in [0, 1]
        self.title_search = NameIndex.load(index, "title_search")
        self.people_search = NameIndex.load(index, "people_search")
        self.movie_prominence = a("movies.prominence")
        self.person_prominence = {
            "any": a("people.prominence"),
            "cast": a("people.prominence_cast"),
            "director": a("people.prominence_directed"),
        }
        meta = json.loads((index / "meta.json").read_text("utf-8"))
        self.language_codes: list[str] = meta["language_codes"]
        self.language_labels: dict[str, list[str | None]] = meta["language_labels"]
        self.language_alias: dict[str, str] = meta["language_alias"]
        self.country_alias: dict[str, str] = meta["country_alias"]  # alias key -> ISO
        self.country_labels: dict[str, list[str]] = meta["country_labels"]  # [name, name_es]
        self.country_row: dict[str, int] = {
            self.countries.key.text(r): r for r in range(len(self.countries))
        }
        self.ratings_count: int = meta["ratings"]
        self._row_of_id = np.argsort(self.movie_id)  # ids are sorted already; kept for safety
        # per-movie columns read one item at a time by requests, as Python-level views
        self.movie_id_at = scalars(self.movie_id)
        self.release_year_at = scalars(self.release_year)
        self.release_days_at = scalars(self.release_days)
        self.collection_at = scalars(self.collection)
        self.title_key_at = scalars(self.title_key)
        self.budget_at = scalars(self.budget)
        self.revenue_at = scalars(self.revenue)
        self.return_at = scalars(self.return_)
        self.person_key_at = scalars(self.person_key)
        self.popularity_at = scalars(self.popularity)
        self.vote_average_at = scalars(self.vote_average)
        self.vote_count_at = scalars(self.vote_count)
        self.runtime_at = scalars(self.runtime)

    def __len__(self) -> int:
        return len(self.movie_id)

    @property
    def version(self) -> str:
        return self.build_dir.name

    @property
    def demo(self) -> bool:
        """Built from the bundled demo dataset, not real data (recorded by `build`)."""
        return bool(self.manifest.get("raw", {}).get("demo", False))

    def row_of_id(self, movie_id: int) -> int | None:
        """Movie row for a TMDB id, by bisection over the sorted ids."""
        ids = self.movie_id_at
        i = bisect.bisect_left(ids, movie_id)
        if i < len(ids) and ids[i] == movie_id:
            return i
        return None

    def person_row(self, person_key: int) -> int | None:
        i = int(np.searchsorted(self.person_key, person_key))
        if i < len(self.person_key) and int(self.person_key[i]) == person_key:
            return i
        return None

    def release_date(self, row: int) -> str:
        return self.release_date_text.text(row)

    def year(self, row: int) -> int:
        return self.release_year_at[row]

    @cached_property
    def language_counts(self) -> IntArray:
        """Movies per original-language code (same order as `language_codes`)."""
        valid = self.language[self.language >= 0]
        return np.bincount(valid, minlength=len(self.language_codes))

    @cached_property
    def month_counts(self) -> IntArray:
        return np.bincount(self.release_month, minlength=13)

    @cached_property
    def weekday_counts(self) -> IntArray:
        return np.bincount(self.release_weekday, minlength=8)


def load_catalog(data_dir: Path) -> Catalog:
    """Load the published catalogue of `data_dir` (its `current` build)."""
    build_dir = resolve_build_dir(data_dir)
    return Catalog(build_dir)


__all__ = ["Catalog", "CatalogNotFoundError", "Dimension", "load_catalog"]
