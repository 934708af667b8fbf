"""`build`: the ETL plus every artifact serving needs, published atomically."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

from cinerec.catalog.indexer import build_index
from cinerec.etl import EtlResult, run_etl
from cinerec.etl.raw_input import RatingsChoice, RawInput, extracted, find_raw_input
from cinerec.progress import Progress
from cinerec.recommend.encoder import start_distilling
from cinerec.recommend.model import HybridRecommender, RecommenderParams
from cinerec.recommend.text_search import TEXT_INDEX, fit_text_index
from cinerec.store import BUILD_FORMAT, MANIFEST, MODEL, read_manifest, staged_build, write_json

# where a build's zip members are extracted, inside its staging directory; removed after the ETL
EXTRACTED = ".raw"
# from this many movies on, the serving index is built in a second process beside the text
# index (the two are independent and each mostly one core's work: 20 s saved on the full
# catalogue here, docs/benchmarks.md); a small catalogue is not worth a process's start
PARALLEL_FROM_MOVIES = 5000


def _exit_with(parent: int) -> None:
    """Exit this process as soon as `parent` is gone (killed without a chance to stop it), so
    no orphan goes on writing into a staging directory the next build will clean up."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _index_in_child(build_dir: Path, conn: Any, parent: int) -> None:
    """A spawned process's work: the serving index; its counts, or its error, sent back."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops this one
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    try:
        conn.send((True, build_index(build_dir)))
    except Exception as exc:
        conn.send((False, f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _start_deaf_to_ctrl_c(child: Any) -> None:
    """Start `child` with SIGINT ignored from its first instruction (an ignored signal stays
    ignored across exec), so a Ctrl-C while it imports prints no traceback of its own."""
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: the child sets it itself, a moment later
        child.start()
        return
    try:
        child.start()
    finally:
        signal.signal(signal.SIGINT, previous)


def index_and_text(
    build_dir: Path,
    movies: int,
    progress: Progress | None,
    parallel_from: int = PARALLEL_FROM_MOVIES,
) -> dict[str, Any]:
    """The serving index and the text index. From `parallel_from` movies on, the first
    is built in a spawned process (not forked: the encoder may be distilling in a thread of
    this one) while this one builds the second. Either failing fails the build, and the
    child is stopped and waited for before this returns or raises (Ctrl-C included), so
    nothing writes into a build being thrown away."""
    if movies < parallel_from:
        counts = build_index(build_dir)
        fit_text_index(build_dir, build_dir / TEXT_INDEX, progress)
        return counts
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_index_in_child, args=(build_dir, send, os.getpid()), daemon=True
    )
    _start_deaf_to_ctrl_c(child)
    send.close()
    try:
        fit_text_index(build_dir, build_dir / TEXT_INDEX, progress)
        try:
            done, value = receive.recv()
        except EOFError:
            child.join()
            raise RuntimeError(
                f"the serving index's process stopped (exit code {child.exitcode})"
            ) from None
    finally:  # done or not, the child is gone before the build goes on or is thrown away
        if child.is_alive():
            child.terminate()
        child.join()
        receive.close()
    if not done:
        raise RuntimeError(f"building the serving index failed ({value})")
    return dict(value)


def raw_record(raw_input: RawInput, inputs: dict[str, Any]) -> dict[str, Any]:
    """The manifest's account of the raw input: demo or not, where each file came from, and
    what `build --if-changed` compares (sha256 of a loose file, CRC-32 of a zip member)."""
    identity = {}
    for kind, found in raw_input.found.items():
        sha = inputs.get(kind, {}).get("sha256") if found.member is None else None
        identity[kind] = found.identity(sha)
    return {
        "demo": raw_input.demo,
        "input": str(raw_input.root.resolve()),
        "sources": raw_input.sources(),
        "identity": identity,
        "notes": raw_input.notes,
    }


def build_catalog(
    raw_dir: Path,
    out_dir: Path,
    progress: Progress | None = None,
    artifacts: bool = True,
    params: RecommenderParams | None = None,
    ratings: RatingsChoice | None = None,
    raw_input: RawInput | None = None,
) -> EtlResult:
    """Write a new build of `out_dir` from `raw_dir` (a directory, a zip, or a directory
    holding a zip); the old one stays served until it is done. The raw input is checked before
    anything is written, so a bad one leaves `out_dir` as it was."""
    raw_input = raw_input or find_raw_input(raw_dir, ratings)
    if artifacts:
        start_distilling()  # a machine's first build: beside the ETL, not after it
    with staged_build(out_dir) as build_dir:
        with extracted(raw_input, build_dir / EXTRACTED) as files:
            result = run_etl(raw_dir, build_dir, progress, files=files)
        manifest = read_manifest(build_dir)
        manifest["raw"] = raw_record(raw_input, manifest.get("inputs", {}))
        if artifacts:
            counts = index_and_text(build_dir, result.rows_out, progress)
            HybridRecommender(params).fit(build_dir, progress).save(
                build_dir / MODEL, extra={"inputs": manifest.get("inputs", {})}
            )
            manifest.update(
                {
                    "kind": "build",
                    "format": BUILD_FORMAT,
                    "index": counts,
                    "version": build_dir.name.removeprefix(".tmp-"),
                }
            )
        write_json(build_dir / MANIFEST, manifest)
    return result
