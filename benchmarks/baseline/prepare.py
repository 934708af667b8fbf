"""The course's ETL, the way it is usually written: pandas + `ast.literal_eval`, one table out.

    python -m benchmarks.baseline.prepare --raw RAW_DIR --out DIR

Reads `movies_dataset.csv` (or `movies_metadata.csv`) and `credits.csv` (plain or gzipped),
un-nests the Python-literal columns with `ast.literal_eval`, applies the assignment's rules
(budget/revenue nulls -> 0, rows without a release date dropped, `release_year`, `return` =
revenue / budget or 0, the unused columns dropped), adds the cast's and the directors' names
from the credits and writes `DIR/movies.parquet`, the one table the baseline API loads.

The ETL runs here, once, and not at the API's start-up (students usually run it in a notebook
and ship the resulting CSV/Parquet with the API); its time is reported separately.
"""

from __future__ import annotations

import argparse
import ast
import time
from pathlib import Path
from typing import Any

import pandas as pd

OUTPUT = "movies.parquet"
DROPPED_COLUMNS = ["video", "imdb_id", "adult", "original_title", "poster_path", "homepage"]


def find_raw(raw: Path, *names: str) -> Path:
    for name in names:
        for suffix in ("", ".gz"):
            path = raw / f"{name}{suffix}"
            if path.exists():
                return path
    raise FileNotFoundError(f"{raw}: none of {', '.join(names)} (.gz)")


def literal(value: Any) -> Any:
    """`ast.literal_eval` of a cell; empty or unparseable cells give None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return None


def names(value: Any) -> list[str]:
    parsed = literal(value)
    if not isinstance(parsed, list):
        return []
    return [item["name"] for item in parsed if isinstance(item, dict) and item.get("name")]


def collection_name(value: Any) -> str | None:
    parsed = literal(value)
    return parsed.get("name") if isinstance(parsed, dict) else None


def directors(value: Any) -> list[str]:
    parsed = literal(value)
    if not isinstance(parsed, list):
        return []
    return [
        item["name"]
        for item in parsed
        if isinstance(item, dict) and item.get("job") == "Director" and item.get("name")
    ]


def prepare(raw: Path, out: Path) -> Path:
    movies = pd.read_csv(
        find_raw(raw, "movies_dataset.csv", "movies_metadata.csv"), low_memory=False
    )
    credits = pd.read_csv(find_raw(raw, "credits.csv"))

    # ids that are not numbers are the rows whose fields shifted; one row per id
    movies["id"] = pd.to_numeric(movies["id"], errors="coerce")
    movies = movies.dropna(subset=["id"])
    movies["id"] = movies["id"].astype("int64")
    movies = movies.drop_duplicates(subset="id")

    # un-nest the Python-literal columns
    movies["belongs_to_collection"] = movies["belongs_to_collection"].apply(collection_name)
    for column in ["genres", "production_companies", "production_countries", "spoken_languages"]:
        movies[column] = movies[column].apply(names)

    # the assignment's rules
    for column in ["budget", "revenue", "popularity", "vote_average", "vote_count", "runtime"]:
        movies[column] = pd.to_numeric(movies[column], errors="coerce")
    movies["budget"] = movies["budget"].fillna(0)
    movies["revenue"] = movies["revenue"].fillna(0)
    movies["release_date"] = pd.to_datetime(movies["release_date"], errors="coerce")
    movies = movies.dropna(subset=["release_date"])
    movies["release_year"] = movies["release_date"].dt.year
    movies["return"] = (movies["revenue"] / movies["budget"]).where(movies["budget"] > 0, 0.0)
    movies = movies.drop(columns=[c for c in DROPPED_COLUMNS if c in movies.columns])

    # cast and directors from the credits
    credits["id"] = pd.to_numeric(credits["id"], errors="coerce")
    credits = credits.dropna(subset=["id"]).drop_duplicates(subset="id")
    credits["id"] = credits["id"].astype("int64")
    credits["actores"] = credits["cast"].apply(names)
    credits["directores"] = credits["crew"].apply(directors)
    movies = movies.merge(credits[["id", "actores", "directores"]], on="id", how="left")
    for column in ["actores", "directores"]:
        movies[column] = movies[column].apply(lambda x: x if isinstance(x, list) else [])

    out.mkdir(parents=True, exist_ok=True)
    path = out / OUTPUT
    movies.reset_index(drop=True).to_parquet(path, index=False)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    started = time.perf_counter()
    path = prepare(args.raw, args.out)
    rows = len(pd.read_parquet(path, columns=["id"]))
    print(f"prepare: {rows} movies -> {path} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
