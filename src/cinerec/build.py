"""`build`: the ETL plus every artifact serving needs, published atomically."""

from __future__ import annotations

from pathlib import Path

from cinerec.catalog.indexer import build_index
from cinerec.etl import EtlResult, run_etl
from cinerec.progress import Progress
from cinerec.recommend.model import HybridRecommender, RecommenderParams
from cinerec.recommend.text_search import TEXT_INDEX, fit_text_index
from cinerec.store import BUILD_FORMAT, MANIFEST, MODEL, read_manifest, staged_build, write_json


def build_catalog(
    raw_dir: Path,
    out_dir: Path,
    progress: Progress | None = None,
    artifacts: bool = True,
    params: RecommenderParams | None = None,
) -> EtlResult:
    """Write a new build of `out_dir` from `raw_dir`; the old one stays served until it is done."""
    with staged_build(out_dir) as build_dir:
        result = run_etl(raw_dir, build_dir, progress)
        if artifacts:
            counts = build_index(build_dir)
            manifest = read_manifest(build_dir)
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
