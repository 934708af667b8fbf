"""The optional semantic-embeddings path: a clear error without the extra, real vectors with it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cinerec.recommend.embeddings import embeddings_available


@pytest.mark.skipif(embeddings_available(), reason="the embeddings extra is installed here")
def test_flag_without_the_extra_is_one_clear_line(tmp_path: Path, demo_raw: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "cinerec.cli",
            "build",
            "--raw",
            str(demo_raw),
            "--out",
            str(tmp_path / "out"),
            "--embeddings",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "uv sync --extra embeddings" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "current").exists()


@pytest.mark.skipif(
    not embeddings_available(),
    reason="semantic embeddings not installed (uv sync --extra embeddings); skipping",
)
def test_embeddings_put_related_overviews_close() -> None:
    from cinerec.recommend.embeddings import embed_texts

    vectors = embed_texts(
        [
            "A crew of thieves plans a heist in space.",
            "Robbers steal from a spaceship.",
            "",
            "A shy girl falls in love in Paris.",
        ]
    )
    assert vectors.shape == (4, 384)
    assert np.allclose(np.linalg.norm(vectors[[0, 1, 3]], axis=1), 1.0, atol=1e-4)
    assert not vectors[2].any()
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[3]
