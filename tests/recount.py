"""An independent recount of the raw files with csv and ast: what every aggregate must equal.

It applies the ETL's movie rules (integer id, first row of a repeated id, a parseable release
date) and reads each nested list as a set, so a country, company, genre, keyword or person named
twice for one movie counts that movie once. Nothing here imports cinerec.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import gzip
import io
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

csv.field_size_limit(1 << 30)


def _rows(path: Path) -> list[dict[str, str]]:
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def _file(raw: Path, *stems: str) -> Path | None:
    for stem in stems:
        for suffix in (".csv", ".csv.gz"):
            if (raw / f"{stem}{suffix}").is_file():
                return raw / f"{stem}{suffix}"
    return None


def _literal(text: str | None) -> Any:
    if not text or not text.strip():
        return None
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None


def _dicts(text: str | None) -> list[dict[str, Any]]:
    value = _literal(text)
    if isinstance(value, dict):
        value = [value]
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _number(text: str | None) -> float:
    try:
        value = float((text or "").strip())
    except ValueError:
        return 0.0
    return value if value == value and abs(value) != float("inf") else 0.0


@dataclass
class Movie:
    revenue: float
    budget: float
    collection: str | None
    countries: set[str]
    companies: set[str]
    genres: set[str]
    languages: set[str]

    @property
    def return_(self) -> float:
        return self.revenue / self.budget if self.budget > 0 else 0.0


@dataclass
class Recount:
    movies: dict[int, Movie]
    keywords: dict[int, set[str]] = field(default_factory=dict)
    cast: dict[int, set[int]] = field(default_factory=dict)  # movie -> person ids
    directors: dict[int, set[int]] = field(default_factory=dict)

    def by(self, attribute: str) -> dict[str, set[int]]:
        """Entity name -> the distinct movies linked to it."""
        out: dict[str, set[int]] = defaultdict(set)
        for movie_id, movie in self.movies.items():
            values = getattr(movie, attribute)
            for name in [values] if isinstance(values, str) else values or ():
                out[name].add(movie_id)
        return dict(out)

    def by_person(self, credits: dict[int, set[int]]) -> dict[int, set[int]]:
        out: dict[int, set[int]] = defaultdict(set)
        for movie_id, people in credits.items():
            for person in people:
                out[person].add(movie_id)
        return dict(out)

    def revenue(self, movies: set[int]) -> float:
        return sum(self.movies[m].revenue for m in movies)

    def return_total(self, movies: set[int]) -> float:
        return sum(self.movies[m].return_ for m in movies)


def recount(raw: Path, credits: bool = True, keywords: bool = True) -> Recount:
    path = _file(raw, "movies_dataset", "movies_metadata")
    assert path is not None, f"no movies file in {raw}"
    movies: dict[int, Movie] = {}
    seen: set[int] = set()
    for row in _rows(path):
        raw_id = (row.get("id") or "").strip()
        if not raw_id.isdigit() or int(raw_id) in seen:
            continue
        seen.add(int(raw_id))
        try:
            dt.datetime.strptime((row.get("release_date") or "").strip(), "%Y-%m-%d")
        except ValueError:
            continue
        collection = _dicts(row.get("belongs_to_collection"))
        movies[int(raw_id)] = Movie(
            revenue=_number(row.get("revenue")),
            budget=_number(row.get("budget")),
            collection=(collection[0].get("name") if collection else None),
            countries={
                str(d["name"]) for d in _dicts(row["production_countries"]) if d.get("name")
            },
            companies={
                str(d["name"]) for d in _dicts(row["production_companies"]) if d.get("name")
            },
            genres={str(d["name"]) for d in _dicts(row["genres"]) if d.get("name")},
            languages={
                str(d["iso_639_1"]).lower()
                for d in _dicts(row.get("spoken_languages"))
                if d.get("iso_639_1")
            },
        )
    result = Recount(movies)
    if keywords and (kw := _file(raw, "keywords")) is not None:
        for row in _rows(kw):
            raw_id = (row.get("id") or "").strip()
            if raw_id.isdigit() and int(raw_id) in movies and int(raw_id) not in result.keywords:
                names = {str(d["name"]) for d in _dicts(row["keywords"]) if d.get("name")}
                result.keywords[int(raw_id)] = names
    if credits and (cr := _file(raw, "credits")) is not None:
        for row in _rows(cr):
            raw_id = (row.get("id") or "").strip()
            if not raw_id.isdigit() or int(raw_id) not in movies or int(raw_id) in result.cast:
                continue
            movie_id = int(raw_id)
            result.cast[movie_id] = {
                int(d["id"]) for d in _dicts(row["cast"]) if isinstance(d.get("id"), int)
            }
            result.directors[movie_id] = {
                int(d["id"])
                for d in _dicts(row["crew"])
                if d.get("job") == "Director" and isinstance(d.get("id"), int)
            }
    return result
