"""Writing small raw directories in the exact Kaggle layout, for ETL tests."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path
from typing import Any

MOVIE_COLUMNS = [
    "adult",
    "belongs_to_collection",
    "budget",
    "genres",
    "homepage",
    "id",
    "imdb_id",
    "original_language",
    "original_title",
    "overview",
    "popularity",
    "poster_path",
    "production_companies",
    "production_countries",
    "release_date",
    "revenue",
    "runtime",
    "spoken_languages",
    "status",
    "tagline",
    "title",
    "video",
    "vote_average",
    "vote_count",
]


def movie_row(**values: Any) -> dict[str, str]:
    base: dict[str, Any] = {
        "adult": "False",
        "belongs_to_collection": "",
        "budget": "0",
        "genres": repr([{"id": 18, "name": "Drama"}]),
        "homepage": "",
        "imdb_id": "tt0000001",
        "original_language": "en",
        "overview": "A story.",
        "popularity": "1.5",
        "poster_path": "",
        "production_companies": "[]",
        "production_countries": repr([{"iso_3166_1": "US", "name": "United States of America"}]),
        "release_date": "2000-01-03",
        "revenue": "0",
        "runtime": "90.0",
        "spoken_languages": repr([{"iso_639_1": "en", "name": "English"}]),
        "status": "Released",
        "tagline": "",
        "video": "False",
        "vote_average": "6.0",
        "vote_count": "10",
    }
    base.update(values)
    base.setdefault("original_title", base.get("title", ""))
    return {k: str(v) for k, v in base.items()}


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8", newline="") as fh:  # type: ignore[operator]
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_raw_dir(
    directory: Path,
    movies: list[dict[str, str]],
    credits: list[dict[str, str]],
    gz: bool = False,
) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    suffix = ".csv.gz" if gz else ".csv"
    write_csv(directory / f"movies_dataset{suffix}", MOVIE_COLUMNS, movies)
    write_csv(directory / f"credits{suffix}", ["cast", "crew", "id"], credits)
    return directory


def credit(movie_id: int, cast: list[dict[str, Any]], crew: list[dict[str, Any]]) -> dict[str, str]:
    return {"cast": repr(cast), "crew": repr(crew), "id": str(movie_id)}


def actor(pid: int | None, name: str, order: int, character: str = "Someone") -> dict[str, Any]:
    return {
        "cast_id": order,
        "character": character,
        "credit_id": "abc",
        "gender": 0,
        "id": pid,
        "name": name,
        "order": order,
        "profile_path": None,
    }


def director(pid: int | None, name: str) -> dict[str, Any]:
    return {
        "credit_id": "abc",
        "department": "Directing",
        "gender": 0,
        "id": pid,
        "job": "Director",
        "name": name,
        "profile_path": None,
    }
