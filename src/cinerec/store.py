"""Where a catalogue's files live, and the atomic swap that publishes a new build.

A catalogue directory holds `builds/<stamp>/` and a `current` symlink. A build is written
into a hidden temporary directory beside the others and published by replacing the
symlink, an atomic rename: readers see the old build or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl

CURRENT = "current"
BUILDS = "builds"
MANIFEST = "manifest.json"
QUALITY_REPORT = "quality_report.json"
TABLES = "tables"
DUCKDB_FILE = "catalog.duckdb"
MODEL = "model"
INDEX = "index"
# bumped whenever the files of a build change, so `build --if-changed` rebuilds old catalogues
BUILD_FORMAT = 4
KEEP_BUILDS = 2
LOCK = ".build.lock"
_ctrl_c = threading.Event()  # a Ctrl-C came during the build (`interrupts_remembered`)


def _remember_ctrl_c(signum: int, frame: Any) -> None:
    _ctrl_c.set()
    raise KeyboardInterrupt


@contextmanager
def interrupts_remembered() -> Iterator[None]:
    """Within it, a Ctrl-C raises KeyboardInterrupt as usual and is also remembered, and a
    staged build never publishes after one. A library may swallow the KeyboardInterrupt:
    DuckDB checks for signals while a query runs and can drop one that comes as the query
    ends (the likely cause of a build CI once saw publish after its Ctrl-C). Installed from
    the main thread only, and not over an ignored SIGINT (a background job stays deaf to
    it); otherwise it only clears the memory."""
    _ctrl_c.clear()
    previous = signal.getsignal(signal.SIGINT)
    install = (
        previous not in (signal.SIG_IGN, None)
        and threading.current_thread() is threading.main_thread()
    )
    if install:
        signal.signal(signal.SIGINT, _remember_ctrl_c)
    try:
        yield
    finally:
        if install:
            signal.signal(signal.SIGINT, previous)
        _ctrl_c.clear()


class CatalogNotFoundError(Exception):
    """The data directory holds no published catalogue."""


def resolve_build_dir(data_dir: Path) -> Path:
    """The published build of a catalogue directory (or the directory itself if it is a build)."""
    if (data_dir / MANIFEST).is_file():
        return data_dir
    current = data_dir / CURRENT
    if current.exists() and (current / MANIFEST).is_file():
        return current.resolve()
    raise CatalogNotFoundError(
        f"no catalogue in {data_dir}: run `cinerec build --raw RAW_DIR --out {data_dir}` first"
    )


def read_manifest(build_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))
    return data


def write_json(path: Path, payload: dict[str, Any]) -> None:
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str), "utf-8")


class BuildLockedError(Exception):
    """Another build into the same directory is running."""


@contextmanager
def _build_lock(out_dir: Path) -> Iterator[None]:
    """Hold `out_dir`'s build lock: a second build would delete the first one's staging
    directory as stale. The OS drops the lock when its process dies, so it never goes stale;
    the holder removes the file when it is done, so no lock file is left behind."""
    path = out_dir / LOCK
    while True:
        handle = path.open("a+b")
        try:
            if sys.platform == "win32":
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise BuildLockedError(
                f"another build into {out_dir} is running; wait for it to finish"
            ) from None
        try:  # the file may have been removed by the previous holder after we opened it
            if os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino:
                break
        except FileNotFoundError:
            pass
        handle.close()
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()  # still holding the lock: nobody else is between open and lock
        handle.close()  # releases the lock


@contextmanager
def staged_build(out_dir: Path) -> Iterator[Path]:
    """Yield a fresh temporary build directory; publish it only if the block succeeds.

    A failed build leaves no trace: no lock file, and none of the directories it created."""
    created = [p for p in (out_dir / BUILDS, *(out_dir / BUILDS).parents) if not p.exists()]
    builds = out_dir / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    try:
        with _build_lock(out_dir):
            for stale in builds.glob(".tmp-*"):
                shutil.rmtree(stale, ignore_errors=True)
            with _staged(out_dir, builds) as staging:
                yield staging
    except BaseException:
        for directory in created:  # deepest first
            try:
                directory.rmdir()  # only when empty
            except OSError:
                break
        raise


@contextmanager
def _staged(out_dir: Path, builds: Path) -> Iterator[Path]:
    stamp = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{time.monotonic_ns() % 100000:05d}"
    staging = builds / f".tmp-{stamp}"
    staging.mkdir()
    try:
        yield staging
        if _ctrl_c.is_set():  # interrupted, though the exception got lost on the way
            raise KeyboardInterrupt
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    final = builds / stamp
    staging.rename(final)
    _publish(out_dir, final)
    _prune(out_dir)


def _publish(out_dir: Path, build: Path) -> None:
    link_tmp = out_dir / f".{CURRENT}.tmp-{os.getpid()}"
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    link_tmp.symlink_to(Path(BUILDS) / build.name)
    os.replace(link_tmp, out_dir / CURRENT)


def _prune(out_dir: Path) -> None:
    current = (out_dir / CURRENT).resolve()
    builds = sorted(
        (p for p in (out_dir / BUILDS).iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.name,
    )
    old = [p for p in builds if p.resolve() != current][: max(0, len(builds) - KEEP_BUILDS)]
    for path in old:
        shutil.rmtree(path, ignore_errors=True)
