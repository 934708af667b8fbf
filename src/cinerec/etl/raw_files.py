"""Finding and reading the raw CSV files, all columns as text, so nothing is guessed wrong."""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow.csv as pacsv

from cinerec.etl.errors import EtlError

MOVIES_REQUIRED = (
    "id",
    "title",
    "release_date",
    "budget",
    "revenue",
    "popularity",
    "vote_average",
    "vote_count",
    "original_language",
    "runtime",
    "genres",
    "belongs_to_collection",
    "production_companies",
    "production_countries",
)
MOVIES_OPTIONAL = (
    "adult",
    "homepage",
    "imdb_id",
    "original_title",
    "overview",
    "poster_path",
    "spoken_languages",
    "status",
    "tagline",
    "video",
)
CREDITS_REQUIRED = ("cast", "crew", "id")
KEYWORDS_REQUIRED = ("id", "keywords")
LINKS_REQUIRED = ("movieId", "tmdbId")
RATINGS_REQUIRED = ("userId", "movieId", "rating")
MAX_LINE = 1 << 24  # bytes of one CSV row at most (the largest credits rows are ~1 MB)


@dataclass(frozen=True)
class RawFiles:
    """The raw files, as paths on disk (zip members already extracted)."""

    movies: Path
    credits: Path
    keywords: Path | None
    links: Path | None
    ratings: Path | None


def locate_raw_files(raw_dir: Path) -> RawFiles:
    """The raw files of a directory of loose files (see `raw_input` for zips and choices)."""
    from cinerec.etl.raw_input import find_raw_input

    found = find_raw_input(raw_dir)
    if found.in_zip:
        raise EtlError(f"{raw_dir}: the raw files are in a zip; build with `cinerec build`")
    return found.extract(raw_dir)


def _open_text_head(path: Path) -> bytes:
    """The first line, to learn the header (and fail early on empty or broken files)."""
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as fh:
                return fh.readline()
        with path.open("rb") as fh:
            return fh.readline()
    except (OSError, EOFError, zlib.error) as exc:
        raise EtlError(f"cannot read {path.name}: {exc}") from exc


def read_header(path: Path) -> list[str]:
    """Column names of a raw CSV file."""
    first = _open_text_head(path)
    if not first.strip():
        raise EtlError(f"{path.name} is empty")
    reader = pacsv.read_csv(
        io.BytesIO(first),
        read_options=pacsv.ReadOptions(autogenerate_column_names=True),
    )
    return [str(reader.column(i)[0]) for i in range(reader.num_columns)]


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """A DuckDB statement that reads `path`: its parse or I/O error as one EtlError line."""
    try:
        yield
    except duckdb.Error as exc:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        message = lines[0] if lines else type(exc).__name__
        raise EtlError(f"cannot parse {path.name}: {message}") from exc


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def scan_raw_csv(path: Path, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> str:
    """A DuckDB table expression reading a raw CSV as text; required columns are checked now.

    DuckDB reads the file itself, in parallel and streaming (memory does not grow with the
    file), with the CSV rules of the files: comma-separated, `"` quotes doubled inside
    quoted values, newlines inside quoted values, a header row, every column as text, empty
    values as '' (not NULL). Optional columns that are absent come back as all-null text
    columns, so later steps never need to ask whether a column exists. Run the statement
    that uses it inside `reading(path)`, so a parse error is one EtlError line.
    """
    header = read_header(path)
    names = [name.strip() for name in header]
    missing = [name for name in required if name not in names]
    if missing:
        separator = next((c for c in (";", "\t", "|") if c in names[0]), None)
        hint = (
            f"; the columns are separated by {separator!r}, not commas"
            if len(names) == 1 and separator is not None
            else ""
        )
        raise EtlError(f"{path.name}: missing required column {', '.join(missing)}{hint}")
    columns = ", ".join(f"{_sql_text(raw)}: 'VARCHAR'" for raw in header)
    selected = [
        f'coalesce("{raw.replace(chr(34), chr(34) * 2)}", \'\') AS "{name}"'
        for raw, name in zip(header, names, strict=True)
        if name in required or name in optional
    ]
    selected += [f'NULL::VARCHAR AS "{name}"' for name in optional if name not in names]
    options = (
        "header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"',"
        f" strict_mode = true, max_line_size = {MAX_LINE}, buffer_size = {2 * MAX_LINE},"
        f" columns = {{{columns}}}"
    )
    return f"(SELECT {', '.join(selected)} FROM read_csv({_sql_text(str(path))}, {options}))"
