"""Finding and reading the raw CSV files, all columns as text, so nothing is guessed wrong."""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from cinerec.etl.errors import EtlError

# name in the raw dir -> alternatives accepted, first found wins
MOVIES_NAMES = ("movies_dataset", "movies_metadata")
CREDITS_NAMES = ("credits",)
KEYWORDS_NAMES = ("keywords",)
LINKS_NAMES = ("links", "links_small")
RATINGS_NAMES = ("ratings", "ratings_small")

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
    """The files found in a raw directory."""

    movies: Path
    credits: Path
    keywords: Path | None
    links: Path | None
    ratings: Path | None


def _find(raw_dir: Path, stems: tuple[str, ...]) -> Path | None:
    for stem in stems:
        for suffix in (".csv", ".csv.gz"):
            path = raw_dir / f"{stem}{suffix}"
            if path.is_file():
                return path
    return None


def locate_raw_files(raw_dir: Path) -> RawFiles:
    """Find the raw files; a missing required one is an EtlError naming it."""
    if not raw_dir.is_dir():
        raise EtlError(f"raw directory not found: {raw_dir}")
    movies = _find(raw_dir, MOVIES_NAMES)
    if movies is None:
        raise EtlError(
            f"missing required file in {raw_dir}: movies_dataset.csv or movies_metadata.csv"
            " (optionally .csv.gz)"
        )
    credits = _find(raw_dir, CREDITS_NAMES)
    if credits is None:
        raise EtlError(f"missing required file in {raw_dir}: credits.csv (optionally .csv.gz)")
    return RawFiles(
        movies=movies,
        credits=credits,
        keywords=_find(raw_dir, KEYWORDS_NAMES),
        links=_find(raw_dir, LINKS_NAMES),
        ratings=_find(raw_dir, RATINGS_NAMES),
    )


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


def _parse_error(path: Path, exc: BaseException) -> EtlError:
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return EtlError(f"cannot parse {path.name}: {message}")


def open_raw_csv(
    path: Path,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
    numeric: dict[str, pa.DataType] | None = None,
) -> pa.RecordBatchReader:
    """Stream a raw CSV in record batches of ~16 MB of text: text columns (except the given
    numeric ones), required columns checked before the first row is read.

    Memory stays at a few batches whatever the file's size; the parser is Arrow's, the same
    one (and the same options) that read whole files before, so the values are identical.
    Optional columns that are absent come back as all-null text columns, so later steps
    never need to ask whether a column exists. A parse error, at any batch, is an EtlError.
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
        reader = pacsv.open_csv(
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
        raise _parse_error(path, exc) from exc
    absent = [name for name in optional if name not in reader.schema.names]
    schema = reader.schema
    for name in absent:
        schema = schema.append(pa.field(name, pa.string()))

    def batches() -> Iterator[pa.RecordBatch]:
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                return
            except (pa.ArrowInvalid, OSError, EOFError, zlib.error) as exc:
                raise _parse_error(path, exc) from exc
            columns = [*batch.columns, *(pa.nulls(batch.num_rows, pa.string()) for _ in absent)]
            yield pa.RecordBatch.from_arrays(columns, schema=schema)

    return pa.RecordBatchReader.from_batches(schema, batches())
