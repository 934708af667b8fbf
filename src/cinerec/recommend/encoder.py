"""The text encoder of search and recommendations: static token vectors distilled from
all-MiniLM-L6-v2, the way Model2Vec distills its models.

Each word piece of the model's vocabulary is passed through the transformer once (as
"[CLS] piece [SEP]", mean-pooled), which gives a table of 30,522 vectors. A text is then the
weighted mean of its pieces' vectors, the weight being the piece's inverse document frequency
over the catalogue (rare, telling words count most). Encoding is a tokenizer call and a
gather: microseconds, no torch, a few MB in memory, so a query is embedded at request time by
the same model that embedded the catalogue at build time.

The distillation (half a minute of NumPy on two cores) runs once per machine and is cached
(`CINEREC_CACHE_DIR`, else the user's cache directory); a build starts it in the background
beside its ETL (`start_distilling`). A catalogue build copies the table into its own
artifacts, so serving reads nothing outside the catalogue.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

import numpy as np

from cinerec.catalog.arrays import load_array, save_array
from cinerec.progress import Progress, SilentProgress

Array = np.ndarray[Any, np.dtype[np.float32]]
ENCODER_DIR = "encoder"
BATCH = 2048
DIMENSION = 128  # the catalogue's main directions keep the ranking (docs/search.md) at 1/3 the scan
DISTILLED_WITH = "minilm-static-v1"  # bump when the distillation changes


def cache_dir() -> Path:
    """Where distilled tables are kept between builds."""
    configured = os.environ.get("CINEREC_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cinerec"


def _weights_digest(directory: Path) -> str:
    digest = hashlib.sha256(DISTILLED_WITH.encode())
    with (directory / "model.safetensors").open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:16]


class _Distilling(threading.Thread):
    """A distillation run while the build does other work (a daemon: an interrupted build
    does not wait for it; the cache is written atomically, so it is never left half-written)."""

    def __init__(self) -> None:
        super().__init__(name="distill-text-encoder", daemon=True)
        self.result: tuple[Array, Path] | None = None
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            self.result = _distill(None)
        except Exception as error:  # raised again where the table is needed
            self.error = error


_running: dict[str, _Distilling] = {}
_guard = threading.Lock()


def start_distilling() -> None:
    """Start the distillation in the background when the cache does not hold it yet (a
    machine's first build: it runs beside the ETL and the index instead of after them);
    `distill` then waits for it."""
    from cinerec.recommend.minilm import model_dir

    source = model_dir()
    with _guard:
        if str(source) in _running or _cached_table(source).is_file():
            return
        thread = _Distilling()
        _running[str(source)] = thread
        thread.start()


def distill(progress: Progress | None = None) -> tuple[Array, Path]:
    """The token-vector table (vocabulary × 384, float32) and the tokenizer file it goes with,
    from the cache, from a distillation already running (`start_distilling`), or computed now
    (then cached, written atomically)."""
    from cinerec.recommend.minilm import model_dir

    with _guard:
        thread = _running.pop(str(model_dir()), None)
    if thread is None:
        return _distill(progress)
    progress = progress or SilentProgress()
    progress.start(1, "distilling the text encoder (once per machine)")
    try:
        thread.join()
        progress.advance("distilling the text encoder (once per machine)")
    finally:
        progress.finish()
    if thread.error is not None:
        raise thread.error
    assert thread.result is not None
    return thread.result


def _cached_table(source: Path) -> Path:
    return cache_dir() / f"{DISTILLED_WITH}-{_weights_digest(source)}.npy"


def _distill(progress: Progress | None) -> tuple[Array, Path]:
    from cinerec.recommend.minilm import MiniLM, model_dir

    source = model_dir()
    cached = _cached_table(source)
    tokenizer = source / "tokenizer.json"
    if cached.is_file():
        return np.load(cached), tokenizer
    model = MiniLM(source)
    cls_id, sep_id = model.special_ids()
    size = model.vocabulary_size
    table = np.zeros((size, model.hidden), np.float32)
    progress = progress or SilentProgress()
    progress.start(-(-size // BATCH), "distilling the text encoder (once per machine)")
    try:
        for start in range(0, size, BATCH):
            pieces = np.arange(start, min(size, start + BATCH))
            ids = np.stack(
                [np.full(len(pieces), cls_id), pieces, np.full(len(pieces), sep_id)], axis=1
            )
            states = model.forward(ids, np.ones_like(ids))
            table[start : start + len(pieces)] = states.mean(axis=1)
            progress.advance("distilling the text encoder (once per machine)")
    finally:
        progress.finish()
    cached.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=cached.parent, suffix=".npy", delete=False) as fh:
        np.save(fh, table)
    os.replace(fh.name, cached)
    return table, tokenizer


def _normalized(x: Array) -> Array:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return np.asarray(np.divide(x, norms, out=np.zeros_like(x), where=norms > 0), np.float32)


def _embed(
    pieces: list[np.ndarray[Any, Any]],
    table: np.ndarray[Any, Any],
    weights: Array,
    chunk: int = 512,
) -> Array:
    """IDF-weighted means of the pieces' vectors, unit length (zero for no pieces); `chunk`
    texts at a time, so a whole catalogue never needs its pieces' vectors at once."""
    out = np.zeros((len(pieces), table.shape[1]), np.float32)
    for start in range(0, len(pieces), chunk):
        part = pieces[start : start + chunk]
        lengths = np.fromiter((len(p) for p in part), np.int64, len(part))
        filled = np.flatnonzero(lengths)
        if len(filled):
            flat = np.concatenate([part[i] for i in filled])
            weighted = table[flat].astype(np.float32) * weights[flat, None]
            starts = np.concatenate([[0], np.cumsum(lengths[filled])[:-1]])
            out[start + filled] = np.add.reduceat(weighted, starts, axis=0)
    return _normalized(out)


def _tokenizer(path: Path) -> Any:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


class TextEncoder:
    """Texts -> unit vectors. `fit` learns the piece weights from a corpus; `save`/`load`
    move the encoder to/from an artifact directory (the vectors as float16)."""

    def __init__(self, vectors: np.ndarray[Any, Any], weights: Array, tokenizer_file: Path) -> None:
        self.vectors = vectors
        self.weights = weights
        self.tokenizer_file = tokenizer_file
        self.tokenizer = _tokenizer(tokenizer_file)

    @property
    def dimension(self) -> int:
        return int(self.vectors.shape[1])

    @classmethod
    def fit_transform(
        cls, corpus: list[str], progress: Progress | None = None, dimension: int = DIMENSION
    ) -> tuple[TextEncoder, Array]:
        """Distill (or read the cache), weigh each piece by its IDF over `corpus`, keep the
        `dimension` main directions of the corpus's vectors (an uncentred projection: a
        linear map of the pieces, so a text's vector is still the mean of its pieces'), and
        return the encoder with the corpus's vectors."""
        table, tokenizer_file = distill(progress)
        tokenizer = _tokenizer(tokenizer_file)
        pieces = [
            np.asarray(e.ids, np.int64)
            for e in tokenizer.encode_batch(corpus, add_special_tokens=False)
        ]
        df = np.zeros(len(table), np.float64)
        for ids in pieces:
            df[np.unique(ids)] += 1
        n = max(len(corpus), 1)
        weights = (np.log((n + 1) / (df + 1)) + 1.0).astype(np.float32)
        docs = _embed(pieces, table, weights)
        if (
            dimension < table.shape[1]
            and int(np.linalg.norm(docs, axis=1).astype(bool).sum()) >= dimension
        ):
            _, eigenvectors = np.linalg.eigh(docs.T.astype(np.float64) @ docs)  # ascending
            directions = eigenvectors[:, ::-1][:, :dimension].astype(np.float32)
            table = table @ directions
            docs = _normalized(docs @ directions)
        return cls(table.astype(np.float32), weights, tokenizer_file), docs

    def piece_ids(self, texts: list[str]) -> list[np.ndarray[Any, Any]]:
        return [
            np.asarray(e.ids, np.int64)
            for e in self.tokenizer.encode_batch(texts, add_special_tokens=False)
        ]

    def encode(self, texts: list[str], chunk: int = 512) -> Array:
        """Unit-length vectors; a text without pieces gets a zero vector."""
        out = np.zeros((len(texts), self.dimension), np.float32)
        for start in range(0, len(texts), chunk):
            out[start : start + chunk] = _embed(
                self.piece_ids(texts[start : start + chunk]), self.vectors, self.weights
            )
        return out

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        save_array(directory, "vectors", self.vectors.astype(np.float16))
        save_array(directory, "weights", self.weights)
        shutil.copyfile(self.tokenizer_file, directory / "tokenizer.json")
        (directory / "encoder.json").write_text(
            json.dumps({"distilled": DISTILLED_WITH, "dimension": self.dimension}), "utf-8"
        )

    @classmethod
    def load(cls, directory: Path) -> TextEncoder:
        return cls(
            load_array(directory, "vectors"),
            load_array(directory, "weights"),
            directory / "tokenizer.json",
        )


def main() -> int:
    """`python -m cinerec.recommend.encoder`, run by `make setup`: distil the table into the
    cache now, once per machine, as installing a model downloads it, so that a machine's first
    `cinerec build` does not wait for it (40-50 s of its 3-minute budget on a slow day,
    docs/benchmarks.md). A build still distils it itself when the cache lacks it."""
    import sys

    from cinerec.progress import RichProgress
    from cinerec.recommend.minilm import model_dir

    try:
        if not _cached_table(model_dir()).is_file():
            table, _ = distill(RichProgress())
            print(f"text encoder: {table.shape[0]:,} token vectors cached in {cache_dir()}")
    except (OSError, ValueError, ImportError) as error:
        print(f"error: distilling the text encoder: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
