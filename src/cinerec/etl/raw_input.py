"""Raw input as people have it: a directory, a zip, or a directory holding a zip.

The files may sit at any depth; each may be `.csv`, `.csv.gz` or a `.zip` holding the CSV;
both the course's (`movies_dataset.csv`) and Kaggle's (`movies_metadata.csv`) names are taken.
`find_raw_input` only looks (a zip's directory is read, nothing is extracted), so it is cheap
enough for `build --if-changed`; `RawInput.extract` copies the members out of their zips, in
streamed chunks, into a directory the caller removes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

from cinerec.etl.errors import EtlError
from cinerec.etl.raw_files import RawFiles

DEMO_DATA = Path(__file__).resolve().parents[1] / "demo_data"

MOVIES_STEMS = ("movies_dataset", "movies_metadata")
STEMS = {
    "movies": MOVIES_STEMS,
    "credits": ("credits",),
    "keywords": ("keywords",),
    "links": ("links", "links_small"),
    "ratings": ("ratings", "ratings_small"),
}
KIND_OF_STEM = {stem: kind for kind, stems in STEMS.items() for stem in stems}
RatingsChoice = Literal["small", "full"]
_CHUNK = 1 << 20
_LISTED = 8  # files named in an error


@dataclass(frozen=True)
class Found:
    """A raw file: `path` itself, or the zip `path`'s `member`, or a zip member's `inner` file."""

    path: Path
    member: str | None = None
    inner: str | None = None
    size: int = 0
    crc: int | None = None  # the zip's CRC-32 of `member` (identifies it without reading it)

    @property
    def name(self) -> str:
        return (self.inner or self.member or self.path.name).replace("\\", "/").rsplit("/", 1)[-1]

    @property
    def stem(self) -> str:
        name = self.name.lower()
        for suffix in (".zip", ".gz", ".csv"):
            name = name.removesuffix(suffix)
        return name

    def where(self, root: Path) -> str:
        """Where it is, for messages: `data/raw/archive.zip: the-movies-dataset/credits.csv`."""
        try:
            base = str(self.path.relative_to(root)) if self.path != root else self.path.name
        except ValueError:
            base = str(self.path)
        parts = [base, *(p for p in (self.member, self.inner) if p)]
        return ": ".join(parts)

    def identity(self, sha256: str | None = None) -> dict[str, Any]:
        """What `build --if-changed` compares: a loose file's sha256 (computed unless given),
        a zip member's CRC-32 and size from the zip's directory (no decompression)."""
        if self.member is None:
            if sha256 is None:
                digest = hashlib.sha256()
                with self.path.open("rb") as fh:
                    for chunk in iter(lambda: fh.read(_CHUNK), b""):
                        digest.update(chunk)
                sha256 = digest.hexdigest()
            return {"file": self.path.name, "bytes": self.size, "sha256": sha256}
        return {
            "file": self.path.name,
            "member": self.member,
            "inner": self.inner,
            "bytes": self.size,
            "crc32": self.crc,
        }


@dataclass(frozen=True)
class RawInput:
    """The raw files found for each kind, what was chosen and why."""

    root: Path
    movies: Found
    credits: Found
    keywords: Found | None
    links: Found | None
    ratings: Found | None
    notes: list[str] = field(default_factory=list)

    @property
    def demo(self) -> bool:
        """Whether this is the bundled demo dataset rather than real files: its directory, or
        a copy of its movies file (as the Docker image's build stage makes)."""
        if self.root.resolve() == DEMO_DATA:
            return True
        demo_movies = DEMO_DATA / "movies_dataset.csv"
        movies = self.movies
        if movies.member is not None or movies.size != demo_movies.stat().st_size:
            return False
        return movies.identity() == Found(demo_movies, size=movies.size).identity() | {
            "file": movies.path.name
        }

    @property
    def found(self) -> dict[str, Found]:
        kinds = ("movies", "credits", "keywords", "links", "ratings")
        return {k: f for k in kinds if (f := getattr(self, k)) is not None}

    @property
    def in_zip(self) -> bool:
        return any(f.member is not None for f in self.found.values())

    def identities(self) -> dict[str, dict[str, Any]]:
        return {kind: found.identity() for kind, found in self.found.items()}

    def sources(self) -> dict[str, str]:
        return {kind: found.where(self.root) for kind, found in self.found.items()}

    def extract(self, into: Path) -> RawFiles:
        """The files as paths on disk: loose files as they are, zip members copied into `into`
        in 1 MB chunks (a 700 MB ratings file never sits in memory)."""
        paths: dict[str, Path] = {}
        for kind, found in self.found.items():
            paths[kind] = found.path if found.member is None else _extract(found, into, kind)
        return RawFiles(
            movies=paths["movies"],
            credits=paths["credits"],
            keywords=paths.get("keywords"),
            links=paths.get("links"),
            ratings=paths.get("ratings"),
        )


def _extract(found: Found, into: Path, kind: str) -> Path:
    (into / kind).mkdir(parents=True, exist_ok=True)
    target = into / kind / found.name  # the member's own name, for the ETL's messages
    assert found.member is not None
    try:
        with ExitStack() as stack:
            archive = stack.enter_context(zipfile.ZipFile(found.path))
            source: IO[bytes] = stack.enter_context(archive.open(found.member))
            if found.inner is not None:
                nested = stack.enter_context(zipfile.ZipFile(source))
                source = stack.enter_context(nested.open(found.inner))
            with target.open("wb") as out:
                shutil.copyfileobj(source, out, _CHUNK)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise EtlError(f"cannot extract {found.where(found.path.parent)}: {exc}") from exc
    return target


def _ignored(name: str) -> bool:
    """macOS's zip junk (`__MACOSX/`, `._name`) and hidden files are never data."""
    parts = name.replace("\\", "/").split("/")
    return any(p == "__MACOSX" or p.startswith(".") for p in parts if p not in ("", ".", ".."))


def _candidate_name(name: str) -> bool:
    lowered = name.lower()
    return lowered.endswith((".csv", ".csv.gz", ".csv.zip")) or (
        lowered.endswith(".zip") and lowered.removesuffix(".zip") in KIND_OF_STEM
    )


def _scan_zip(path: Path) -> tuple[list[Found], list[str]]:
    """Raw files inside a zip (and inside zips it holds), and every CSV-like name seen."""
    found: list[Found] = []
    seen: list[str] = []
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.is_dir() or _ignored(info.filename):
                    continue
                item = Found(path, info.filename, size=info.file_size, crc=info.CRC)
                lowered = info.filename.lower()
                if lowered.endswith(".zip"):
                    try:
                        with (
                            archive.open(info) as inner_file,
                            zipfile.ZipFile(inner_file) as inner,
                        ):
                            for sub in inner.infolist():
                                if sub.is_dir() or _ignored(sub.filename):
                                    continue
                                nested = Found(
                                    path, info.filename, sub.filename, sub.file_size, info.CRC
                                )
                                if _candidate_name(sub.filename):
                                    seen.append(nested.where(path.parent))
                                if nested.stem in KIND_OF_STEM:
                                    found.append(nested)
                    except zipfile.BadZipFile:
                        continue
                elif _candidate_name(info.filename):
                    seen.append(item.where(path.parent))
                    if item.stem in KIND_OF_STEM:
                        found.append(item)
    except (zipfile.BadZipFile, OSError) as exc:
        raise EtlError(f"{path.name} is not a readable zip file: {exc}") from exc
    return found, seen


def _scan_dir(root: Path) -> tuple[list[Found], list[Path], list[str]]:
    """Loose raw files at any depth, the zips, and every CSV-like name seen."""
    found: list[Found] = []
    zips: list[Path] = []
    seen: list[str] = []
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if not _ignored(d))
        for name in sorted(files):
            if _ignored(name):
                continue
            path = Path(directory) / name
            lowered = name.lower()
            if lowered.endswith(".zip"):
                zips.append(path)
            elif _candidate_name(name):
                item = Found(path, size=path.stat().st_size)
                seen.append(item.where(root))
                if item.stem in KIND_OF_STEM:
                    found.append(item)
    return found, zips, seen


def _one(candidates: list[Found], what: str, root: Path) -> Found | None:
    if len(candidates) > 1:
        names = " and ".join(c.where(root) for c in candidates[:_LISTED])
        raise EtlError(f"{len(candidates)} candidate {what} files in {root}: {names}; keep one")
    return candidates[0] if candidates else None


def _found_list(seen: list[str]) -> str:
    if not seen:
        return "no CSV file at all"
    more = f" and {len(seen) - _LISTED} more" if len(seen) > _LISTED else ""
    return "found " + ", ".join(seen[:_LISTED]) + more


def find_raw_input(raw: Path, ratings: RatingsChoice | None = None) -> RawInput:
    """Find the raw files in a directory, a zip, or the zips a directory holds.

    Loose files win when the directory has a movies file (a zip left beside its extracted
    files is then not read). Two candidate movies (or credits, keywords) files, or none, is an
    EtlError naming what was found.
    """
    if not raw.exists():
        raise EtlError(f"raw input not found: {raw} (give a directory or a .zip file)")
    notes: list[str] = []
    if raw.is_file():
        if not zipfile.is_zipfile(raw):
            raise EtlError(f"{raw} is a file but not a zip: give the directory that holds it")
        found, seen = _scan_zip(raw)
        root = raw.parent
    else:
        root = raw
        found, zips, seen = _scan_dir(raw)
        if zips and not any(f.stem in MOVIES_STEMS for f in found):
            for path in zips:
                inside, inside_seen = _scan_zip(path)
                found += inside
                seen += inside_seen
        elif zips:
            names = ", ".join(str(p.relative_to(root)) for p in zips[:_LISTED])
            notes.append(f"raw: using the CSV files in {raw}, not the zip beside them ({names})")
    by_stem: dict[str, list[Found]] = {}
    for item in found:
        by_stem.setdefault(item.stem, []).append(item)
    where = raw

    def kind(name: str) -> list[Found]:
        return [f for stem in STEMS[name] for f in by_stem.get(stem, [])]

    movies = _one(kind("movies"), "movies", where)
    if movies is None:
        raise EtlError(
            f"no movies file in {raw} (movies_metadata.csv or movies_dataset.csv, at any depth,"
            f" as .csv, .csv.gz or .zip); {_found_list(seen)}"
        )
    credits = _one(kind("credits"), "credits", where)
    if credits is None:
        raise EtlError(
            f"missing required file in {raw}: credits.csv (optionally .csv.gz or .zip);"
            f" {_found_list(seen)}"
        )
    keywords = _one(kind("keywords"), "keywords", where)
    links = _one(by_stem.get("links", []), "links", where) or _one(
        by_stem.get("links_small", []), "links_small", where
    )
    full = _one(by_stem.get("ratings", []), "ratings", where)
    small = _one(by_stem.get("ratings_small", []), "ratings_small", where)
    chosen = _choose_ratings(full, small, ratings, raw, notes)
    return RawInput(root, movies, credits, keywords, links, chosen, notes)


def _mb(found: Found) -> str:
    return f"{found.size / 1e6:,.0f} MB" if found.size >= 1e6 else f"{found.size / 1e3:,.0f} kB"


def _choose_ratings(
    full: Found | None,
    small: Found | None,
    choice: RatingsChoice | None,
    raw: Path,
    notes: list[str],
) -> Found | None:
    if choice == "full" and full is None:
        other = f" (there is {small.name})" if small else ""
        raise EtlError(f"--ratings full: no ratings.csv in {raw}{other}")
    if choice == "small" and small is None:
        other = f" (there is {full.name})" if full else ""
        raise EtlError(f"--ratings small: no ratings_small.csv in {raw}{other}")
    if full is not None and small is not None:
        if choice == "full":
            notes.append(
                f"ratings: using {full.name} ({_mb(full)}), as --ratings full asks;"
                f" {small.name} ({_mb(small)}) is not read"
            )
            return full
        reason = "as --ratings small asks" if choice == "small" else "by default"
        notes.append(
            f"ratings: using {small.name} ({_mb(small)}), {reason}: it builds in minutes on a"
            f" laptop; --ratings full uses {full.name} ({_mb(full)}) — more viewers for"
            f" 'liked by the same viewers', a much longer, heavier build"
        )
        return small
    only = full or small
    if only is not None:
        notes.append(f"ratings: using {only.name} ({_mb(only)}), the only ratings file")
    else:
        notes.append("ratings: no ratings file; recommendations from the movies' content only")
    return only


@contextmanager
def extracted(raw_input: RawInput, into: Path) -> Iterator[RawFiles]:
    """The raw files on disk for the length of the block; what was extracted is removed."""
    try:
        yield raw_input.extract(into)
    finally:
        shutil.rmtree(into, ignore_errors=True)
