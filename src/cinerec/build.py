"""`build`: the ETL plus every artifact serving needs, published atomically."""

from __future__ import annotations

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
            counts = build_index(build_dir)
            fit_text_index(build_dir, build_dir / TEXT_INDEX, progress)
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
