"""The text encoder: the NumPy transformer equals PyTorch's, the distilled encoder puts
related texts together, and its artifacts round-trip."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cinerec.recommend.encoder import TextEncoder, distill
from cinerec.recommend.minilm import MiniLM

REFERENCE = Path(__file__).parent / "data" / "minilm_reference.json"


@pytest.fixture(scope="module")
def reference() -> dict[str, object]:
    data: dict[str, object] = json.loads(REFERENCE.read_text("utf-8"))
    return data


def test_numpy_minilm_equals_pytorch(reference: dict[str, object]) -> None:
    """Vectors from transformers + torch (tools/minilm_reference.py), to 1e-5."""
    model = MiniLM()
    vectors = model.encode(list(reference["sentences"]))  # type: ignore[call-overload]
    expected = np.asarray(reference["first16"])
    assert np.abs(vectors[:, :16] - expected).max() < 1e-5
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_distilled_piece_vector_equals_pytorch(reference: dict[str, object]) -> None:
    table, tokenizer_file = distill()
    from tokenizers import Tokenizer

    piece = Tokenizer.from_file(str(tokenizer_file)).token_to_id(str(reference["piece"]))
    assert np.abs(table[piece, :16] - np.asarray(reference["piece_first16"])).max() < 1e-5


CORPUS = [
    "A crew of thieves plans a heist on a space station.",
    "Robbers steal gold from a spaceship orbiting the moon.",
    "A shy waitress in Paris falls in love and helps her neighbours.",
    "A young woman in Montmartre secretly arranges other people's happiness.",
    "A clownfish father crosses the ocean to find his lost son.",
    "",
] * 3


@pytest.fixture(scope="module")
def fitted() -> tuple[TextEncoder, np.ndarray]:  # type: ignore[type-arg]
    return TextEncoder.fit_transform(CORPUS, dimension=384)  # all directions: 5 texts span few


def test_related_texts_are_closer(fitted: tuple[TextEncoder, np.ndarray]) -> None:  # type: ignore[type-arg]
    encoder, docs = fitted
    assert docs.shape == (len(CORPUS), 384) and encoder.dimension == 384
    assert not docs[5].any()  # no text, no signal
    assert np.allclose(np.linalg.norm(docs[:5], axis=1), 1.0, atol=1e-5)
    for query, expected in (
        ("a fish looking for his son in the sea", {4}),
        ("a robbery in outer space", {0, 1}),
        ("stealing from a spacecraft", {0, 1}),
        ("romance in paris", {2, 3}),
        ("a waitress who makes others happy", {2, 3}),
    ):
        best_two = np.argsort(-(docs[:5] @ encoder.encode([query])[0]))[:2]
        assert set(best_two.tolist()) == expected or best_two[0] in expected, query


def test_encoding_a_corpus_text_gives_its_vector(
    fitted: tuple[TextEncoder, np.ndarray],  # type: ignore[type-arg]
) -> None:
    encoder, docs = fitted
    assert np.allclose(encoder.encode(CORPUS[:5]), docs[:5], atol=1e-5)


def test_projection_keeps_the_corpus_directions() -> None:
    """Projected to as many directions as the corpus spans, the vectors keep their cosines."""
    full, docs = TextEncoder.fit_transform(CORPUS, dimension=384)
    small, projected = TextEncoder.fit_transform(CORPUS, dimension=5)
    assert projected.shape[1] == 5
    assert np.allclose(projected @ projected.T, docs @ docs.T, atol=1e-3)
    query = "thieves in space"
    a, b = full.encode([query])[0], small.encode([query])[0]
    assert np.argmax(docs[:5] @ a) == np.argmax(projected[:5] @ b)


def test_save_and_load(tmp_path: Path, fitted: tuple[TextEncoder, np.ndarray]) -> None:  # type: ignore[type-arg]
    encoder, _ = fitted
    encoder.save(tmp_path / "encoder")
    loaded = TextEncoder.load(tmp_path / "encoder")
    texts = ["a heist in space", "amour à Paris", ""]
    assert np.allclose(loaded.encode(texts), encoder.encode(texts), atol=2e-3)  # float16 table


def test_a_background_distillation_is_waited_for_not_repeated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A machine's first build starts the distillation beside its ETL; the encoder then waits
    for that one instead of starting another, and its error, if any, is raised there."""
    import threading

    from cinerec.recommend import encoder

    release = threading.Event()
    calls: list[int] = []
    table = np.ones((3, 2), np.float32)

    def slow(progress: object) -> tuple[np.ndarray, Path]:  # type: ignore[type-arg]
        calls.append(1)
        release.wait(10)
        return table, tmp_path / "tokenizer.json"

    monkeypatch.setattr(encoder, "_distill", slow)
    monkeypatch.setattr(encoder, "_cached_table", lambda source: tmp_path / "absent.npy")
    encoder.start_distilling()
    encoder.start_distilling()  # already running: not a second one
    release.set()
    got, _ = encoder.distill()
    assert got is table and len(calls) == 1
    encoder.distill()  # nothing running any more: computed (here: the fake) directly
    assert len(calls) == 2

    def broken(progress: object) -> tuple[np.ndarray, Path]:  # type: ignore[type-arg]
        raise OSError("disk full")

    monkeypatch.setattr(encoder, "_distill", broken)
    encoder.start_distilling()
    with pytest.raises(OSError, match="disk full"):
        encoder.distill()


def test_no_background_distillation_when_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cinerec.recommend import encoder

    cached = tmp_path / "table.npy"
    cached.write_bytes(b"")
    monkeypatch.setattr(encoder, "_cached_table", lambda source: cached)
    encoder.start_distilling()
    assert not encoder._running


def test_setup_distils_once_and_says_a_failure_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`make setup` runs `python -m cinerec.recommend.encoder`: it distils when the cache lacks
    the table, does nothing when it holds it, and a failure is one line and exit status 1."""
    from cinerec.recommend import encoder

    calls: list[int] = []

    def fake(progress: object) -> tuple[np.ndarray, Path]:  # type: ignore[type-arg]
        calls.append(1)
        return np.ones((7, 2), np.float32), tmp_path / "tokenizer.json"

    absent, cached = tmp_path / "absent.npy", tmp_path / "table.npy"
    cached.write_bytes(b"")
    monkeypatch.setattr(encoder, "_distill", fake)
    monkeypatch.setattr(encoder, "_cached_table", lambda source: absent)
    assert encoder.main() == 0 and calls == [1]
    assert "7 token vectors cached" in capsys.readouterr().out
    monkeypatch.setattr(encoder, "_cached_table", lambda source: cached)
    assert encoder.main() == 0 and calls == [1]  # cached: nothing to do

    def broken(progress: object) -> tuple[np.ndarray, Path]:  # type: ignore[type-arg]
        raise OSError("No space left on device")

    monkeypatch.setattr(encoder, "_distill", broken)
    monkeypatch.setattr(encoder, "_cached_table", lambda source: absent)
    assert encoder.main() == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == "error: distilling the text encoder: No space left on device"


def test_make_setup_distils_the_encoder() -> None:
    makefile = (Path(__file__).parents[1] / "Makefile").read_text("utf-8")
    setup = makefile.split("\nsetup:", 1)[1].split("\n\n", 1)[0]
    assert "-m cinerec.recommend.encoder" in setup
