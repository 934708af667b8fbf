"""The ETL: raw files -> normalized Parquet tables + an embedded DuckDB database.

All row-level work runs inside DuckDB (vectorized, two threads); Python only orchestrates,
normalizes the distinct person names and writes the quality report.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from cinerec import __version__
from cinerec.etl.errors import EtlError
from cinerec.etl.literals import explode_literal_sql, register_literal_functions
from cinerec.etl.names import country_names, language_names
from cinerec.etl.raw_files import (
    CREDITS_REQUIRED,
    KEYWORDS_REQUIRED,
    LINKS_REQUIRED,
    MOVIES_OPTIONAL,
    MOVIES_REQUIRED,
    RATINGS_REQUIRED,
    RawFiles,
    locate_raw_files,
    reading,
    scan_raw_csv,
)
from cinerec.progress import Progress, SilentProgress, progress_run
from cinerec.store import DUCKDB_FILE, MANIFEST, QUALITY_REPORT, TABLES, write_json
from cinerec.textnorm import match_key

# Columns of the course's table: the product keeps the others in `movies`.
COURSE_DROPPED = ("video", "imdb_id", "adult", "original_title", "poster_path", "homepage")

TABLE_NAMES = (
    "movies",
    "genres",
    "collections",
    "companies",
    "countries",
    "languages",
    "movie_cast",
    "movie_crew",
    "keywords",
    "people",
    "language_names",
    "country_names",
    "links",
    "ratings",
)

ETL_STEPS = 12


@dataclass
class EtlResult:
    """What an ETL run produced, for the CLI summary and for `build`."""

    build_dir: Path
    rows_in: int
    rows_out: int
    seconds: float
    report: dict[str, Any] = field(default_factory=dict)


def file_fingerprint(path: Path) -> dict[str, Any]:
    """Name, size and sha256 of an input file, recorded in the manifest."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return {"name": path.name, "bytes": path.stat().st_size, "sha256": digest.hexdigest()}


def _person_key_for_name(name: str) -> int:
    """Stable negative key for a person without TMDB id, shared by all spellings of the name."""
    key = match_key(name) or name
    return -(int.from_bytes(hashlib.blake2b(key.encode(), digest_size=7).digest(), "big") + 1)


def run_etl(
    raw_dir: Path,
    build_dir: Path,
    progress: Progress | None = None,
    files: RawFiles | None = None,
) -> EtlResult:
    """Parse the raw files of `raw_dir` (or the given, already located `files`) into tables
    under `build_dir` (a staging directory)."""
    started = time.perf_counter()
    progress = progress or SilentProgress()
    files = files or locate_raw_files(raw_dir)
    tables_dir = build_dir / TABLES
    tables_dir.mkdir(parents=True, exist_ok=True)
    # DuckDB reads the raw files itself, streaming, and spills what passes its memory limit
    # (a large file's text) to this directory, so memory does not grow with the input
    with tempfile.TemporaryDirectory(prefix=".duckdb-", dir=build_dir) as spill:
        con = duckdb.connect()
        con.execute("SET threads TO 2")
        con.execute("SET memory_limit = '1GB'")
        con.execute(f"SET temp_directory = '{spill}'")
        con.execute("SET preserve_insertion_order = true")
        register_literal_functions(con)
        try:
            with progress_run(progress, ETL_STEPS, "reading raw files") as bar:
                report = _run(con, files, tables_dir, bar)
                bar.advance("writing DuckDB database")
                _write_duckdb(build_dir / DUCKDB_FILE, tables_dir)
                bar.advance("done")
        finally:
            con.close()
    seconds = time.perf_counter() - started
    report["seconds"] = round(seconds, 3)
    write_json(build_dir / QUALITY_REPORT, report)
    write_json(
        build_dir / MANIFEST,
        {
            "kind": "catalog",
            "cinerec_version": __version__,
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "raw_dir": str(raw_dir.resolve()),
            "inputs": report["inputs"],
            "rows": report["rows_out"],
        },
    )
    return EtlResult(
        build_dir=build_dir,
        rows_in=int(report["movies"]["rows_read"]),
        rows_out=int(report["rows_out"]["movies"]),
        seconds=seconds,
        report=report,
    )


def _scalar(con: duckdb.DuckDBPyConnection, query: str) -> Any:
    rows = con.execute(query).fetchall()
    return rows[0][0]


def _copy(con: duckdb.DuckDBPyConnection, query: str, path: Path) -> None:
    con.execute(f"COPY ({query}) TO '{path}' (FORMAT PARQUET, COMPRESSION ZSTD)")


def _run(
    con: duckdb.DuckDBPyConnection, files: RawFiles, tables: Path, bar: Progress
) -> dict[str, Any]:
    report: dict[str, Any] = {
        "inputs": {
            name: file_fingerprint(path)
            for name, path in (
                ("movies", files.movies),
                ("credits", files.credits),
                ("keywords", files.keywords),
                ("links", files.links),
                ("ratings", files.ratings),
            )
            if path is not None
        }
    }
    with reading(files.movies):
        con.execute(
            "CREATE TEMP TABLE raw_movies AS SELECT * FROM "
            + scan_raw_csv(files.movies, MOVIES_REQUIRED, MOVIES_OPTIONAL)
        )
    bar.advance("cleaning movies")
    report["movies"] = _clean_movies(con)
    if report["movies"]["rows_kept"] == 0:
        raise EtlError(
            f"{files.movies.name}: no usable movie rows ({report['movies']['rows_read']} read;"
            " a movie needs an integer id and a release date)"
        )
    _copy(con, "SELECT * FROM movies ORDER BY id", tables / "movies.parquet")

    bar.advance("parsing genres and collections")
    _nested_movie_tables(con, tables)

    bar.advance("reading credits")
    report["credits"] = _dedupe_by_id(con, files.credits, CREDITS_REQUIRED, "credits_first")

    bar.advance("parsing cast")
    con.execute(
        "CREATE TEMP TABLE cast_raw AS "
        + explode_literal_sql(
            "credits_first",
            "movie_id",
            "cast",
            {
                "id": "BIGINT",
                "name": "VARCHAR",
                "character": "VARCHAR",
                "order": "INTEGER",
                "gender": "INTEGER",
                "cast_id": "BIGINT",
                "credit_id": "VARCHAR",
            },
        )
    )
    bar.advance("parsing crew")
    con.execute(
        "CREATE TEMP TABLE crew_raw AS "
        + explode_literal_sql(
            "credits_first",
            "movie_id",
            "crew",
            {
                "id": "BIGINT",
                "name": "VARCHAR",
                "job": "VARCHAR",
                "department": "VARCHAR",
                "gender": "INTEGER",
                "credit_id": "VARCHAR",
            },
        )
    )
    _drop_first_rows(con, "credits_first")

    bar.advance("identifying people")
    _people(con, tables)

    bar.advance("parsing keywords")
    if files.keywords is not None:
        report["keywords"] = _dedupe_by_id(con, files.keywords, KEYWORDS_REQUIRED, "keywords_first")
        con.execute(
            "CREATE TEMP TABLE keywords_raw AS "
            + explode_literal_sql(
                "keywords_first", "movie_id", "keywords", {"id": "BIGINT", "name": "VARCHAR"}
            )
        )
        _drop_first_rows(con, "keywords_first")
    else:
        con.execute(
            "CREATE TEMP TABLE keywords_raw (movie_id BIGINT, position BIGINT, id BIGINT,"
            " name VARCHAR)"
        )
    _copy(
        con,
        f"""SELECT k.movie_id, k.id AS keyword_id, k.name, k.position::INTEGER AS position
           FROM keywords_raw k SEMI JOIN movies m ON m.id = k.movie_id
           WHERE k.name IS NOT NULL
           QUALIFY {_first_of_pair("k.movie_id", "k.id", "k.name", "k.position")}
           ORDER BY k.movie_id, k.position""",
        tables / "keywords.parquet",
    )

    bar.advance("ratings and links")
    report["ratings"] = _ratings(con, files, tables)

    bar.advance("names of languages and countries")
    _names(con, tables)

    bar.advance("quality report")
    report["rows_out"] = {
        name: _scalar(con, f"SELECT count(*) FROM read_parquet('{tables / name}.parquet')")
        for name in TABLE_NAMES
    }
    return report


def _clean_movies(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Apply the course's rules and the real file's needs; return the movies part of the report."""
    columns = [row[0] for row in con.execute("DESCRIBE raw_movies").fetchall()]
    nulls = {
        name: _scalar(
            con, f'SELECT count(*) FROM raw_movies WHERE "{name}" IS NULL OR trim("{name}") = \'\''
        )
        for name in columns
    }
    con.execute(
        r"""
        CREATE TEMP TABLE numbered AS
        SELECT row_number() OVER () AS raw_row, *,
               CASE WHEN regexp_full_match(trim(id), '[0-9]+') THEN TRY_CAST(trim(id) AS BIGINT) END
                   AS movie_id
        FROM raw_movies
        """
    )
    con.execute("DROP TABLE raw_movies")
    rows_read = _scalar(con, "SELECT count(*) FROM numbered")
    invalid = con.execute(
        "SELECT raw_row, id FROM numbered WHERE movie_id IS NULL ORDER BY raw_row"
    ).fetchall()
    repeated = con.execute(
        """SELECT movie_id, count(*) AS n FROM numbered WHERE movie_id IS NOT NULL
           GROUP BY movie_id HAVING count(*) > 1 ORDER BY movie_id"""
    ).fetchall()
    con.execute(
        """
        CREATE TEMP TABLE firsts AS
        SELECT * FROM numbered WHERE movie_id IS NOT NULL
        QUALIFY row_number() OVER (PARTITION BY movie_id ORDER BY raw_row) = 1
        """
    )
    con.execute("DROP TABLE numbered")
    con.execute(
        r"""
        CREATE MACRO num(x) AS TRY_CAST(nullif(trim(x), '') AS DOUBLE);
        CREATE MACRO txt(x) AS nullif(trim(x), '');
        CREATE TEMP TABLE movies_all AS
        SELECT
            movie_id AS id,
            raw_row,
            txt(title) AS title,
            coalesce(txt(original_title), txt(title)) AS original_title,
            TRY_CAST(try_strptime(trim(release_date), '%Y-%m-%d') AS DATE) AS release_date,
            coalesce(CASE WHEN isfinite(num(budget)) THEN num(budget) END, 0) AS budget,
            coalesce(CASE WHEN isfinite(num(revenue)) THEN num(revenue) END, 0) AS revenue,
            CASE WHEN isfinite(num(popularity)) THEN num(popularity) END AS popularity,
            CASE WHEN isfinite(num(vote_average)) THEN num(vote_average) END AS vote_average,
            TRY_CAST(CASE WHEN isfinite(num(vote_count)) THEN num(vote_count) END AS BIGINT)
                AS vote_count,
            CASE WHEN isfinite(num(runtime)) THEN num(runtime) END AS runtime,
            lower(txt(original_language)) AS original_language,
            txt(overview) AS overview,
            txt(tagline) AS tagline,
            txt(status) AS status,
            txt(poster_path) AS poster_path,
            txt(homepage) AS homepage,
            txt(imdb_id) AS imdb_id,
            lower(txt(adult)) = 'true' AS adult,
            lower(txt(video)) = 'true' AS video,
            genres, belongs_to_collection, production_companies, production_countries,
            spoken_languages
        FROM firsts
        """
    )
    con.execute("DROP TABLE firsts")
    no_date = _scalar(con, "SELECT count(*) FROM movies_all WHERE release_date IS NULL")
    con.execute(
        """
        CREATE TEMP TABLE movies_nested AS
        SELECT * FROM movies_all WHERE release_date IS NOT NULL
        """
    )
    con.execute("DROP TABLE movies_all")
    con.execute(
        "CREATE TEMP TABLE collection_raw AS "
        + explode_literal_sql(
            "movies_nested",
            "id",
            "belongs_to_collection",
            {
                "id": "BIGINT",
                "name": "VARCHAR",
                "poster_path": "VARCHAR",
                "backdrop_path": "VARCHAR",
            },
        )
    )
    con.execute(
        """
        CREATE TEMP TABLE movies AS
        SELECT
            m.id, m.title, m.original_title, m.release_date,
            year(m.release_date)::INTEGER AS release_year,
            month(m.release_date)::INTEGER AS release_month,
            isodow(m.release_date)::INTEGER AS release_weekday,
            m.budget, m.revenue,
            CASE WHEN m.budget > 0 THEN m.revenue / m.budget ELSE 0 END AS "return",
            m.popularity, m.vote_average, m.vote_count, m.runtime, m.original_language,
            m.overview, m.tagline, m.status, m.poster_path, m.homepage, m.imdb_id,
            m.adult, m.video,
            c.id AS collection_id, c.name AS collection_name
        FROM movies_nested m
        LEFT JOIN (SELECT * FROM collection_raw WHERE position = 1) c ON c.movie_id = m.id
        """
    )
    kept = _scalar(con, "SELECT count(*) FROM movies")
    return {
        "file_columns": columns,
        "rows_read": rows_read,
        "rows_kept": kept,
        "dropped": {
            "id_not_integer": len(invalid),
            "repeated_id": sum(n - 1 for _, n in repeated),
            "missing_or_invalid_release_date": no_date,
        },
        "id_not_integer_rows": [{"row": r, "id": i} for r, i in invalid],
        "repeated_ids": [{"id": i, "rows": n} for i, n in repeated],
        "nulls_per_column": nulls,
    }


def _nested_movie_tables(con: duckdb.DuckDBPyConnection, tables: Path) -> None:
    # table: (raw column, fields of its dicts, the entity key's expression and name)
    specs = {
        "genres": ("genres", {"id": "BIGINT", "name": "VARCHAR"}, "id", "genre_id"),
        "companies": (
            "production_companies",
            {"id": "BIGINT", "name": "VARCHAR"},
            "id",
            "company_id",
        ),
        "countries": (
            "production_countries",
            {"iso_3166_1": "VARCHAR", "name": "VARCHAR"},
            "upper(iso_3166_1)",
            "iso",
        ),
        "languages": (
            "spoken_languages",
            {"iso_639_1": "VARCHAR", "name": "VARCHAR"},
            "lower(iso_639_1)",
            "iso",
        ),
    }
    for table, (column, fields, key, alias) in specs.items():
        _copy(
            con,
            f"""SELECT movie_id, {key} AS {alias}, name, position::INTEGER AS position
                FROM ({explode_literal_sql("movies_nested", "id", column, fields)})
                WHERE name IS NOT NULL OR {next(iter(fields))} IS NOT NULL
                QUALIFY {_first_of_pair("movie_id", key, "name", "position")}
                ORDER BY movie_id, position""",
            tables / f"{table}.parquet",
        )
    _copy(
        con,
        """SELECT id AS collection_id, arg_min(name, movie_id) AS name,
                  arg_min(poster_path, movie_id) AS poster_path,
                  arg_min(backdrop_path, movie_id) AS backdrop_path,
                  count(*) AS movies
           FROM collection_raw WHERE id IS NOT NULL AND position = 1
             AND movie_id IN (SELECT id FROM movies)
           GROUP BY id ORDER BY id""",
        tables / "collections.parquet",
    )
    con.execute("DROP TABLE collection_raw")
    con.execute("DROP TABLE movies_nested")


def _first_of_pair(movie: str, key: str, name: str, position: str) -> str:
    """A QUALIFY condition keeping one row per (movie, entity): a movie whose nested list names
    the same country, company, genre, language or keyword twice links to it once, so every
    count and sum over these tables is over distinct movies. The entity is its id, else its
    name."""
    entity = f"coalesce(CAST({key} AS VARCHAR), 'name:' || {name})"
    return f"row_number() OVER (PARTITION BY {movie}, {entity} ORDER BY {position}) = 1"


def _dedupe_by_id(
    con: duckdb.DuckDBPyConnection, path: Path, required: tuple[str, ...], target: str
) -> dict[str, Any]:
    """`target`: the first row per integer movie id that is in the catalogue, of a raw file
    with an `id` column; count what was skipped.

    Only the row numbers are stored; `target` is a view that streams the file again and
    keeps those rows, so its text is never held. (A parse error comes up here, in the first
    read; `_drop_first_rows` removes both.)
    """
    numbered = f"""(
        SELECT row_number() OVER () AS raw_row, *,
               CASE WHEN regexp_full_match(trim(id), '[0-9]+')
                    THEN TRY_CAST(trim(id) AS BIGINT) END AS movie_id
        FROM {scan_raw_csv(path, required)})"""
    with reading(path):
        con.execute(f"CREATE TEMP TABLE {target}_rows AS SELECT raw_row, movie_id FROM {numbered}")
    read = _scalar(con, f"SELECT count(*) FROM {target}_rows")
    con.execute(
        f"""
        DELETE FROM {target}_rows
        WHERE movie_id IS NULL OR movie_id NOT IN (SELECT id FROM movies)
           OR raw_row NOT IN (SELECT min(raw_row) FROM {target}_rows GROUP BY movie_id)
        """
    )
    kept = _scalar(con, f"SELECT count(*) FROM {target}_rows")
    con.execute(
        f"""CREATE TEMP VIEW {target} AS SELECT * EXCLUDE (raw_row) FROM {numbered}
            WHERE raw_row IN (SELECT raw_row FROM {target}_rows)"""
    )
    return {"rows_read": read, "rows_kept": kept}


def _drop_first_rows(con: duckdb.DuckDBPyConnection, target: str) -> None:
    con.execute(f"DROP VIEW {target}")
    con.execute(f"DROP TABLE {target}_rows")


def _people(con: duckdb.DuckDBPyConnection, tables: Path) -> None:
    """Key people by TMDB id; entries without id share a key derived from their normalized name."""
    names = con.execute(
        """SELECT DISTINCT name FROM (
               SELECT name FROM cast_raw WHERE id IS NULL AND name IS NOT NULL
               UNION SELECT name FROM crew_raw WHERE id IS NULL AND name IS NOT NULL)"""
    ).fetchall()
    keyed = pa.table(
        {
            "name": pa.array([n for (n,) in names], pa.string()),
            "person_key": pa.array([_person_key_for_name(n) for (n,) in names], pa.int64()),
        }
    )
    con.register("nameless_keys", keyed)
    for role in ("cast", "crew"):
        extra = (
            'r.character, r."order" AS cast_order, r.cast_id'
            if role == "cast"
            else "r.job, r.department"
        )
        order = 'r.movie_id, r."order", r.position' if role == "cast" else "r.movie_id, r.position"
        distinct = "r.character" if role == "cast" else "r.job"
        _copy(
            con,
            f"""SELECT r.movie_id, coalesce(r.id, k.person_key) AS person_key, r.id AS person_id,
                       r.name, {extra}, r.gender, r.credit_id, r.position::INTEGER AS position
                FROM {role}_raw r
                LEFT JOIN nameless_keys k ON r.id IS NULL AND k.name = r.name
                SEMI JOIN movies m ON m.id = r.movie_id
                WHERE r.name IS NOT NULL
                -- an entry repeated whole (same person, same role) is one credit; two roles
                -- or two jobs of one person stay two credits
                QUALIFY row_number() OVER (
                    PARTITION BY r.movie_id, coalesce(r.id, k.person_key), {distinct}
                    ORDER BY r.position) = 1
                ORDER BY {order}""",
            tables / f"movie_{role}.parquet",
        )
        con.execute(f"DROP TABLE {role}_raw")
    con.unregister("nameless_keys")
    # a person's name: the one most of their credits use, ties to the first in sort order
    # (not `mode`, whose ties fall however DuckDB's threads meet them: builds would differ)
    people = con.sql(
        f"""WITH credits AS (
                SELECT person_key, name, person_id FROM read_parquet('{tables / "movie_cast.parquet"}')
                UNION ALL
                SELECT person_key, name, person_id FROM read_parquet('{tables / "movie_crew.parquet"}')),
            named AS (
                SELECT person_key, name, count(*) AS uses FROM credits GROUP BY person_key, name
                QUALIFY row_number() OVER (
                    PARTITION BY person_key ORDER BY count(*) DESC, name) = 1)
            SELECT n.person_key, n.name, i.person_id
            FROM named n
            JOIN (SELECT person_key, max(person_id) AS person_id FROM credits GROUP BY person_key) i
              USING (person_key)
            ORDER BY n.person_key"""
    ).to_arrow_table()
    keys = pa.array([match_key(n) for n in people.column("name").to_pylist()], pa.string())
    people = people.append_column("name_key", keys)
    con.register("people_arrow", people)
    _copy(con, "SELECT * FROM people_arrow", tables / "people.parquet")
    con.unregister("people_arrow")


def _ratings(con: duckdb.DuckDBPyConnection, files: RawFiles, tables: Path) -> dict[str, Any]:
    """MovieLens ratings re-keyed to TMDB ids (empty tables when the raw dir has none)."""
    if files.links is not None and files.ratings is not None:
        with reading(files.links):
            _copy(
                con,
                f"""SELECT TRY_CAST(trim("movieId") AS BIGINT) AS movielens_id,
                          TRY_CAST(trim("tmdbId") AS DOUBLE)::BIGINT AS movie_id
                   FROM {scan_raw_csv(files.links, LINKS_REQUIRED, ("imdbId",))}
                   WHERE TRY_CAST(trim("tmdbId") AS DOUBLE) IS NOT NULL
                     AND TRY_CAST(trim("movieId") AS BIGINT) IS NOT NULL""",
                tables / "links.parquet",
            )
        # the largest file (26M rows in the full dataset) streams through the join into the
        # Parquet file, joined as written: the ratings are the probe side (in file order),
        # links and movies the hash tables; its text is never held whole
        ratings = scan_raw_csv(files.ratings, RATINGS_REQUIRED, ("timestamp",))
        con.execute("SET disabled_optimizers = 'join_order,build_side_probe_side'")
        try:
            with reading(files.ratings):
                _copy(
                    con,
                    f"""SELECT TRY_CAST(trim(r."userId") AS BIGINT) AS user_id, l.movie_id,
                               TRY_CAST(trim(r.rating) AS DOUBLE) AS rating,
                               TRY_CAST(trim(r."timestamp") AS BIGINT) AS "timestamp"
                        FROM {ratings} r
                        JOIN read_parquet('{tables / "links.parquet"}') l
                          ON l.movielens_id = TRY_CAST(trim(r."movieId") AS BIGINT)
                        SEMI JOIN movies m ON m.id = l.movie_id
                        WHERE TRY_CAST(trim(r.rating) AS DOUBLE) IS NOT NULL""",
                    tables / "ratings.parquet",
                )
                rows_read = _scalar(con, f"SELECT count(*) FROM {ratings}")
        finally:
            con.execute("RESET disabled_optimizers")
        kept = _scalar(con, f"SELECT count(*) FROM read_parquet('{tables / 'ratings.parquet'}')")
        return {"rows_read": rows_read, "rows_kept": kept}
    _copy(
        con,
        "SELECT NULL::BIGINT AS movielens_id, NULL::BIGINT AS movie_id LIMIT 0",
        tables / "links.parquet",
    )
    _copy(
        con,
        """SELECT NULL::BIGINT AS user_id, NULL::BIGINT AS movie_id, NULL::DOUBLE AS rating,
                  NULL::BIGINT AS "timestamp" LIMIT 0""",
        tables / "ratings.parquet",
    )
    return {"rows_read": 0, "rows_kept": 0}


def _names(con: duckdb.DuckDBPyConnection, tables: Path) -> None:
    languages = [
        r[0]
        for r in con.execute(
            f"""SELECT DISTINCT original_language FROM movies WHERE original_language IS NOT NULL
                UNION SELECT DISTINCT iso FROM read_parquet('{tables / "languages.parquet"}')
                WHERE iso IS NOT NULL"""
        ).fetchall()
    ]
    countries = [
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT iso FROM read_parquet('{tables / 'countries.parquet'}')"
            " WHERE iso IS NOT NULL"
        ).fetchall()
    ]
    schema = pa.schema([("iso", pa.string()), ("name_en", pa.string()), ("name_es", pa.string())])
    for name, rows in (
        ("language_names", language_names(languages)),
        ("country_names", country_names(countries)),
    ):
        con.register("names_arrow", pa.Table.from_pylist(rows, schema=schema))
        _copy(con, "SELECT * FROM names_arrow", tables / f"{name}.parquet")
        con.unregister("names_arrow")


def _write_duckdb(path: Path, tables: Path) -> None:
    """The same tables in one embedded DuckDB file, plus the course's view of the movies."""
    con = duckdb.connect(str(path))
    try:
        for name in TABLE_NAMES:
            con.execute(
                f"CREATE TABLE \"{name}\" AS SELECT * FROM read_parquet('{tables / name}.parquet')"
            )
        dropped = ", ".join(COURSE_DROPPED)
        con.execute(f"CREATE VIEW movies_course AS SELECT * EXCLUDE ({dropped}) FROM movies")
    finally:
        con.close()
