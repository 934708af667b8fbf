"""Build time: the ETL's Parquet tables -> the serving index (flat arrays, see `arrays`).

Every join, grouping, sort and text normalization a request would need is done here once.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cinerec.catalog.aliases import country_aliases, language_aliases
from cinerec.catalog.arrays import Csr, IntArray, KeyIndex, StringTable, save_array
from cinerec.catalog.name_index import NameEntries, build_name_index
from cinerec.catalog.romanize import japanese_spellings
from cinerec.store import INDEX, TABLES
from cinerec.textnorm import match_key

EPOCH = np.datetime64("1970-01-01", "D")
WRITING_DEPARTMENT = "Writing"  # TMDB's crew department of screenplay, story, the novel adapted
NOT_WRITERS = ("Storyboard",)  # in that department, but not what a reader calls a writer
# the makers besides the director and writers that a fan recognizes (a studio's producers, a
# director's composer and cinematographer): Ghibli, Pixar or Almodóvar films share them
KEY_CREW_JOBS = (
    "Producer",
    "Executive Producer",
    "Original Music Composer",
    "Music",
    "Director of Photography",
    "Editor",
    "Production Design",
)


def _np(table: pa.Table, name: str, dtype: Any, fill: Any) -> np.ndarray[Any, Any]:
    return np.asarray(pc.fill_null(table.column(name), fill).to_numpy(zero_copy_only=False), dtype)


def _rows_of(ids: list[Any], id_to_row: dict[Any, int]) -> IntArray:
    return np.fromiter((id_to_row.get(i, -1) for i in ids), np.int64, count=len(ids))


class _Writer:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def array(self, name: str, array: np.ndarray[Any, Any]) -> None:
        save_array(self.directory, name, array)

    def strings(self, name: str, values: Sequence[str | None]) -> None:
        StringTable.from_strings(values).save(self.directory, name)

    def csr(self, name: str, csr: Csr) -> None:
        csr.save(self.directory, name)

    def keys(self, name: str, keys: list[str], preference: IntArray) -> None:
        KeyIndex.build(keys, preference).save(self.directory, name)


def build_index(build_dir: Path) -> dict[str, int]:
    """Write `build_dir/index/` from `build_dir/tables/`; return a few counts for the manifest."""
    tables = build_dir / TABLES
    out = _Writer(build_dir / INDEX)

    def read(name: str, columns: list[str] | None = None) -> pa.Table:
        return pq.read_table(tables / f"{name}.parquet", columns=columns)

    movies = read("movies")
    ids = _np(movies, "id", np.int64, 0)
    n = len(ids)
    id_to_row = {int(v): r for r, v in enumerate(ids)}
    popularity = _np(movies, "popularity", np.float64, 0.0)
    vote_count = _np(movies, "vote_count", np.int64, 0)
    # preference among movies sharing a title: most votes, then most popular
    rank_order = np.lexsort((-popularity, -vote_count))
    rank = np.empty(n, dtype=np.int64)
    rank[rank_order] = np.arange(n)

    out.array("movies.id", ids)
    out.array("movies.rank", rank)
    days = movies.column("release_date").cast(pa.int32()).to_numpy(zero_copy_only=False)
    out.array("movies.release_days", np.asarray(days, np.int32))
    # as text too: formatting a date costs a request more than reading 10 bytes
    epoch = dt.date(1970, 1, 1)
    out.strings(
        "movies.release_date", [(epoch + dt.timedelta(days=int(d))).isoformat() for d in days]
    )
    for column, dtype, fill in (
        ("release_year", np.int32, 0),
        ("release_month", np.int8, 0),
        ("release_weekday", np.int8, 0),
        ("budget", np.float64, 0.0),
        ("revenue", np.float64, 0.0),
        ("return", np.float64, 0.0),
        ("vote_average", np.float64, np.nan),
        ("runtime", np.float64, np.nan),
    ):
        out.array(f"movies.{column}", _np(movies, column, dtype, fill))
    out.array("movies.popularity", _np(movies, "popularity", np.float64, np.nan))
    out.array("movies.vote_count", vote_count)
    titles = [t or "" for t in movies.column("title").to_pylist()]
    originals = [t or "" for t in movies.column("original_title").to_pylist()]
    out.strings("movies.title", titles)
    out.strings("movies.original_title", originals)
    for column in ("overview", "tagline", "poster_path", "imdb_id", "homepage", "status"):
        out.strings(f"movies.{column}", movies.column(column).to_pylist())
    title_index = KeyIndex.build([match_key(t) for t in titles], rank)
    title_index.save(out.directory, "titles")
    # each movie's title key as a number: "same title" is an integer comparison when serving
    title_key = np.full(n, -1, dtype=np.int32)
    title_key[title_index.rows.items] = np.repeat(
        np.arange(len(title_index.keys), dtype=np.int32), title_index.rows.sizes()
    )
    out.array("movies.title_key", title_key)
    out.keys("original_titles", [match_key(t) for t in originals], rank)
    # ranked search: a movie is found by its title, by its original title when it differs,
    # and by the Latin spellings of a Japanese original title
    languages = movies.column("original_language").to_pylist()
    entity_rows = list(range(n))
    texts = list(titles)
    for r in range(n):
        if match_key(originals[r]) not in ("", match_key(titles[r])):
            entity_rows.append(r)
            texts.append(originals[r])
        if languages[r] == "ja":
            for spelling in japanese_spellings(originals[r]):
                entity_rows.append(r)
                texts.append(spelling)
    build_name_index(NameEntries(entities=np.asarray(entity_rows, np.int64), texts=texts)).save(
        out.directory, "title_search"
    )
    out.array("movies.prominence", _prominence(vote_count.astype(np.float64)))

    codes = sorted({c for c in languages if c})
    code_row = {c: i for i, c in enumerate(codes)}
    out.array("movies.language", np.fromiter((code_row.get(c, -1) for c in languages), np.int32, n))
    del movies

    # collections (one per movie at most)
    collections = read("collections")
    collection_ids = _np(collections, "collection_id", np.int64, 0)
    collection_row = {int(c): r for r, c in enumerate(collection_ids)}
    movie_collection = read("movies", ["collection_id"]).column("collection_id").to_pylist()
    mc = np.fromiter(
        (collection_row.get(c, -1) if c is not None else -1 for c in movie_collection), np.int64, n
    )
    out.array("movies.collection", mc)
    collection_names = [x or "" for x in collections.column("name").to_pylist()]
    _dimension_out(
        out,
        "collections",
        collection_ids,
        collection_names,
        mc[mc >= 0],
        np.flatnonzero(mc >= 0),
        n,
        rank,
    )

    for name, key_column in (
        ("genres", "genre_id"),
        ("companies", "company_id"),
        ("countries", "iso"),
        ("keywords", "keyword_id"),
        ("languages", "iso"),
    ):
        table = read(name)
        table = table.filter(pc.is_valid(table.column(key_column)))
        keys_raw = table.column(key_column).to_pylist()
        names_raw = table.column("name").to_pylist()
        first_name: dict[Any, str] = {}
        for k, v in zip(keys_raw, names_raw, strict=True):
            if k not in first_name or (not first_name[k] and v):
                first_name[k] = v or ""
        ordered = sorted(first_name)
        entity_row = {k: i for i, k in enumerate(ordered)}
        keys_array: Any = (
            np.asarray(ordered, np.int64) if key_column != "iso" else [str(k) for k in ordered]
        )
        _dimension_out(
            out,
            "spoken_languages" if name == "languages" else name,
            keys_array,
            [first_name[k] for k in ordered],
            _rows_of(keys_raw, entity_row),
            _rows_of(table.column("movie_id").to_pylist(), id_to_row),
            n,
            rank,
        )

    # people
    people = read("people", ["person_key", "name", "name_key"])
    person_keys = _np(people, "person_key", np.int64, 0)
    person_row = {int(k): r for r, k in enumerate(person_keys)}
    n_people = len(person_keys)
    out.array("people.key", person_keys)
    out.strings("people.name", people.column("name").to_pylist())
    name_keys = [k or "" for k in people.column("name_key").to_pylist()]
    del people

    cast = read("movie_cast", ["movie_id", "person_key", "character", "cast_order"])
    c_movie = _rows_of(cast.column("movie_id").to_pylist(), id_to_row)
    c_person = _rows_of(cast.column("person_key").to_pylist(), person_row)
    c_order = _np(cast, "cast_order", np.int64, 10_000)
    characters = cast.column("character").to_pylist()
    # one credit per (person, movie): the first, best-billed one (the table is in billing order);
    # an actor with two roles in a movie counts that movie once, both characters named
    valid = (c_movie >= 0) & (c_person >= 0)
    c_movie, c_person, c_order = c_movie[valid], c_person[valid], c_order[valid]
    characters = [c for c, k in zip(characters, valid.tolist(), strict=True) if k]
    keep = _first_of_pairs(c_person, c_movie, n)
    roles: dict[tuple[int, int], list[str]] = {}
    if not keep.all():
        for p, m, c in zip(c_person.tolist(), c_movie.tolist(), characters, strict=True):
            names = roles.setdefault((p, m), [])
            if c and c not in names:
                names.append(c)
    characters = [
        " / ".join(roles[(p, m)]) if len(roles.get((p, m), ())) > 1 else c
        for p, m, c, k in zip(
            c_person.tolist(), c_movie.tolist(), characters, keep.tolist(), strict=True
        )
        if k
    ]
    c_movie, c_person, c_order = c_movie[keep], c_person[keep], c_order[keep]
    by_person, perm = Csr.build(c_person, c_movie, n_people, sort_key=rank[c_movie])
    out.csr("people.cast", by_person)
    out.array("people.cast_order", c_order[perm])
    position = np.arange(len(c_movie))
    by_movie, perm = Csr.build(
        c_movie, c_person, n, sort_key=c_order * (len(c_movie) + 1) + position
    )
    out.csr("movies.cast", by_movie)
    out.strings("movies.cast_character", [characters[i] for i in perm.tolist()])
    del cast, characters

    crew = read("movie_crew", ["movie_id", "person_key", "job"])
    crew = crew.filter(pc.fill_null(pc.equal(crew.column("job"), "Director"), False))
    d_movie = _rows_of(crew.column("movie_id").to_pylist(), id_to_row)
    d_person = _rows_of(crew.column("person_key").to_pylist(), person_row)
    ok = (d_movie >= 0) & (d_person >= 0)
    pairs = np.unique(d_person[ok] * (n + 1) + d_movie[ok])
    d_person, d_movie = pairs // (n + 1), pairs % (n + 1)
    directed, _ = Csr.build(d_person, d_movie, n_people, sort_key=rank[d_movie])
    out.csr("people.directed", directed)
    movie_directors, _ = Csr.build(d_movie, d_person, n)
    out.csr("movies.directors", movie_directors)
    out.csr("movies.writers", _writers(read, id_to_row, person_row, n))
    key_crew, key_crew_job = _key_crew(read, id_to_row, person_row, n)
    out.csr("movies.key_crew", key_crew)
    out.array("movies.key_crew_job", key_crew_job)
    credits = by_person.sizes() + directed.sizes()
    out.keys("people.names", name_keys, -credits)
    people_names = [x or "" for x in read("people", ["name"]).column("name").to_pylist()]
    build_name_index(NameEntries(entities=np.arange(n_people), texts=people_names)).save(
        out.directory, "people_search"
    )
    # a person's prominence: the votes of their films, a lead role counting fully
    votes = vote_count.astype(np.float64)
    billing = np.where(c_order < 5, 1.0, np.where(c_order < 15, 0.35, 0.1))
    acted = np.bincount(c_person, weights=billing * votes[c_movie], minlength=n_people)
    directing = np.bincount(d_person, weights=votes[d_movie], minlength=n_people)
    out.array("people.prominence_cast", _prominence(acted))
    out.array("people.prominence_directed", _prominence(directing))
    out.array("people.prominence", _prominence(acted + directing))

    # what people call the languages and countries of the data (see `aliases`)
    language_alias, language_labels = language_aliases(codes)
    country_table = read("countries", ["iso", "name"])
    dataset_countries: dict[str, str] = {}
    for iso, name in zip(
        country_table.column("iso").to_pylist(),
        country_table.column("name").to_pylist(),
        strict=True,
    ):
        if iso and (iso not in dataset_countries or not dataset_countries[iso]):
            dataset_countries[iso] = name or ""
    country_alias, country_labels = country_aliases(dataset_countries)
    meta = {
        "language_codes": codes,
        "language_labels": language_labels,
        "language_alias": language_alias,
        "country_alias": country_alias,
        "country_labels": country_labels,
        "ratings": pq.read_metadata(tables / "ratings.parquet").num_rows,
    }
    (out.directory / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
    return {"movies": n, "people": n_people}


def _credited_once(
    crew: pa.Table,
    id_to_row: dict[Any, int],
    person_row: dict[Any, int],
    n: int,
    entry: np.ndarray[Any, Any],
) -> tuple[Csr, np.ndarray[Any, Any]]:
    """The people of these crew rows by movie, once each in credit order, and per kept entry
    the value of `entry` (a per-row column) at its first credit."""
    movie = _rows_of(crew.column("movie_id").to_pylist(), id_to_row)
    person = _rows_of(crew.column("person_key").to_pylist(), person_row)
    ok = (movie >= 0) & (person >= 0)
    movie, person, entry = movie[ok], person[ok], entry[ok]
    keep = _first_of_pairs(person, movie, n)
    movie, person, entry = movie[keep], person[keep], entry[keep]
    csr, order = Csr.build(movie, person, n, sort_key=np.arange(len(movie)))
    return csr, entry[order]


def _writers(
    read: Callable[[str, list[str]], pa.Table],
    id_to_row: dict[Any, int],
    person_row: dict[Any, int],
    n: int,
) -> Csr:
    """Each movie's writers (TMDB's "Writing" credits: screenplay, story, the novel adapted),
    once each, in credit order: a reason a recommendation can name."""
    crew = read("movie_crew", ["movie_id", "person_key", "job", "department"])
    department = pc.fill_null(pc.equal(crew.column("department"), WRITING_DEPARTMENT), False)
    not_writer = pc.is_in(crew.column("job"), pa.array(NOT_WRITERS, pa.string()))
    crew = crew.filter(pc.and_(department, pc.invert(pc.fill_null(not_writer, False))))
    return _credited_once(crew, id_to_row, person_row, n, np.zeros(crew.num_rows, np.int8))[0]


def _key_crew(
    read: Callable[[str, list[str]], pa.Table],
    id_to_row: dict[Any, int],
    person_row: dict[Any, int],
    n: int,
) -> tuple[Csr, np.ndarray[Any, Any]]:
    """Each movie's key crew (`KEY_CREW_JOBS`), once each in credit order, and per entry the
    position in `KEY_CREW_JOBS` of the first such job credited: a reason can name them."""
    crew = read("movie_crew", ["movie_id", "person_key", "job"])
    crew = crew.filter(pc.fill_null(pc.is_in(crew.column("job"), pa.array(KEY_CREW_JOBS)), False))
    job_of = {job: i for i, job in enumerate(KEY_CREW_JOBS)}
    job = np.fromiter((job_of[j] for j in crew.column("job").to_pylist()), np.int8, crew.num_rows)
    return _credited_once(crew, id_to_row, person_row, n, job)


def _prominence(weight: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """log(1 + weight) scaled to [0, 1]: 10 votes and 10,000 votes are far apart, 8,000 and
    10,000 are not."""
    logged = np.log1p(np.maximum(np.nan_to_num(weight), 0.0))
    top = float(logged.max()) if len(logged) else 0.0
    return (logged / top if top > 0 else logged).astype(np.float32)


def _first_of_pairs(a: IntArray, b: IntArray, n_b: int) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Mask of the first occurrence of each (a, b) pair, in array order."""
    _, first = np.unique(a * (n_b + 1) + b, return_index=True)
    keep = np.zeros(len(a), dtype=bool)
    keep[first] = True
    return keep


def _dimension_out(
    out: _Writer,
    name: str,
    keys: Any,
    names: list[str],
    entity_rows: IntArray,
    movie_rows: IntArray,
    n_movies: int,
    rank: IntArray,
) -> None:
    ok = (entity_rows >= 0) & (movie_rows >= 0)
    entity_rows, movie_rows = entity_rows[ok], movie_rows[ok]
    # one link per (entity, movie), the first in the table's order: every count and sum over
    # an entity's movies is then over distinct movies
    keep = _first_of_pairs(entity_rows, movie_rows, n_movies)
    entity_rows, movie_rows = entity_rows[keep], movie_rows[keep]
    if isinstance(keys, list):
        out.strings(f"{name}.key", keys)
    else:
        out.array(f"{name}.key", keys)
    out.strings(f"{name}.name", names)
    by_entity, _ = Csr.build(entity_rows, movie_rows, len(names), sort_key=rank[movie_rows])
    out.csr(f"{name}.movies", by_entity)
    by_movie, _ = Csr.build(movie_rows, entity_rows, n_movies, sort_key=np.arange(len(movie_rows)))
    out.csr(f"movies.{name}", by_movie)
    out.keys(f"{name}.names", [match_key(x) for x in names], -by_entity.sizes())
