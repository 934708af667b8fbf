"""Finding and reading the raw CSV files, all columns as text, so nothing is guessed wrong."""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
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


def read_raw_csv(
    path: Path,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
    numeric: dict[str, pa.DataType] | None = None,
) -> pa.Table:
    """Read a raw CSV as text columns (except the given numeric ones); check required columns.

    Optional columns that are absent come back as all-null text columns, so later steps
    never need to ask whether a column exists.
    """
    header = [name.strip() for name in read_header(path)]
    missing = [name for name in required if name not in header]
    if missing:
        separator = next((c for c in (";", "\t", "|") if c in header[0]), None)
        hint = (
            f"; the columns are separated by {separator!r}, not commas"
            if len(header) == 1 and separator is not None
            else ""
        )
        raise EtlError(f"{path.name}: missing required column {', '.join(missing)}{hint}")
    numeric = numeric or {}
    wanted = [name for name in header if name in required or name in optional]
    types = {name: numeric.get(name, pa.string()) for name in wanted}
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=1 << 24, use_threads=True),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=types,
                include_columns=wanted,
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, OSError, EOFError, zlib.error) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise EtlError(f"cannot parse {path.name}: {message}") from exc
    for name in optional:
        if name not in table.column_names:
            table = table.append_column(name, pa.nulls(table.num_rows, pa.string()))
    return table
