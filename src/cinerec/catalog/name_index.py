"""A word index over names (titles, original titles, people) for ranked, typo-tolerant search.

Built once from the tables (`build_name_index`), saved as flat arrays, memory-mapped when
serving. An *entry* is one name of one entity (a movie has its title and, when it differs,
its original title); the ranking in `queries.search` reads:

- `exact` / `bare`: an entry's whole match key, with and without a leading article;
- `words`: each word -> the entries holding it (postings), for word, prefix and typo matches;
- `joined`: two adjacent words written as one ("spiderman", "deniro") -> entries;
- `entity`, `length`: the entity an entry names and its number of words that are not
  articles (all of them when it has nothing else).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cinerec.catalog.arrays import (
    Csr,
    IntArray,
    KeyIndex,
    StringTable,
    key_prefix,
    load_array,
    save_array,
)
from cinerec.textnorm import ARTICLES, match_key, name_tokens, strip_articles


@dataclass(frozen=True)
class NameEntries:
    """The names to index: entry i is `texts[i]`, a name of entity `entities[i]`."""

    entities: IntArray
    texts: Sequence[str]


class NameIndex:
    """The served index (see the module docstring)."""

    def __init__(
        self,
        exact: KeyIndex,
        bare: KeyIndex,
        words: KeyIndex,
        joined: KeyIndex,
        entity: IntArray,
        length: np.ndarray[Any, Any],
        fuzzy_words: FuzzyVocabulary | None = None,
        fuzzy_bare: FuzzyVocabulary | None = None,
    ) -> None:
        self.exact = exact
        self.bare = bare
        self.words = words
        self.joined = joined
        self.entity = entity
        self.length = length
        self._fuzzy = {
            "words": fuzzy_words or FuzzyVocabulary.of(words),
            "bare": fuzzy_bare or FuzzyVocabulary.of(bare),
        }

    def __len__(self) -> int:
        return len(self.entity)

    def fuzzy(self, part: str) -> FuzzyVocabulary:
        """The keys of `words` or `bare`, ready for typo matching."""
        return self._fuzzy[part]

    def warm(self) -> None:
        """Touch the typo filters' pages, so the first typo does not wait for the disk."""
        for vocabulary in self._fuzzy.values():
            vocabulary.warm()

    @property
    def warmed(self) -> bool:
        return all(v.warmed for v in self._fuzzy.values())

    # -- storage ----------------------------------------------------------------------------

    PARTS = ("exact", "bare", "words", "joined")

    def save(self, directory: Path, name: str) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for part in self.PARTS:
            getattr(self, part).save(directory, f"{name}.{part}")
        save_array(directory, f"{name}.entity", self.entity)
        save_array(directory, f"{name}.length", self.length)
        for part, vocabulary in self._fuzzy.items():
            save_array(directory, f"{name}.{part}.lengths", vocabulary.lengths)
            save_array(directory, f"{name}.{part}.masks", vocabulary.masks)

    @classmethod
    def load(cls, directory: Path, name: str) -> NameIndex:
        parts = {part: KeyIndex.load(directory, f"{name}.{part}") for part in cls.PARTS}
        fuzzy = {
            part: FuzzyVocabulary(
                parts[part],
                load_array(directory, f"{name}.{part}.lengths"),
                load_array(directory, f"{name}.{part}.masks"),
            )
            for part in ("words", "bare")
        }
        return cls(
            **parts,
            entity=load_array(directory, f"{name}.entity"),
            length=load_array(directory, f"{name}.length"),
            fuzzy_words=fuzzy["words"],
            fuzzy_bare=fuzzy["bare"],
        )


def _letter_masks(keys: Iterable[str]) -> np.ndarray[Any, np.dtype[np.uint64]]:
    """A 64-bit set of the characters of each key (other characters share bits by code)."""
    masks = []
    for key in keys:
        bits = 0
        for ch in set(key):
            bits |= 1 << (ord(ch) % 64)
        masks.append(bits)
    return np.asarray(masks, np.uint64)


class FuzzyVocabulary:
    """The keys of a KeyIndex with their lengths and letter sets (computed at build time):
    an edit changes the length by at most one and the letter set by at most two members, so
    two vectorized tests leave only a few keys to decode for the real edit distance."""

    def __init__(
        self, keys: KeyIndex, lengths: np.ndarray[Any, Any], masks: np.ndarray[Any, Any]
    ) -> None:
        self.index = keys
        self.lengths = lengths
        self.masks = masks
        self.warmed = False

    @classmethod
    def of(cls, keys: KeyIndex) -> FuzzyVocabulary:
        all_keys = keys.all_keys()
        lengths = np.fromiter((len(k) for k in all_keys), np.int16, len(all_keys))
        return cls(keys, lengths, _letter_masks(all_keys))

    def warm(self) -> None:
        int(self.lengths.sum()) + int(np.bitwise_or.reduce(self.masks, initial=np.uint64(0)))
        self.warmed = True

    def candidates(self, word: str, edits: int) -> tuple[list[int], list[str]]:
        """Positions (and the keys) of the keys that may be within `edits` of `word`."""
        mask = _letter_masks([word])[0]
        near = np.abs(self.lengths.astype(np.int32) - len(word)) <= edits
        near &= np.bitwise_count(self.masks ^ mask) <= 2 * edits
        positions = np.flatnonzero(near).tolist()
        text = self.index.keys.text
        return positions, [text(i) for i in positions]


def _multi_key_index(keys: Sequence[str], rows: Sequence[int] | IntArray, n_rows: int) -> KeyIndex:
    """KeyIndex where a row may sit under several keys; rows of a key in row order. (Code
    point order, which NumPy sorts strings by, is UTF-8 byte order: KeyIndex's order.)"""
    key_array = np.asarray(keys, dtype=object)
    row_array = np.asarray(rows, dtype=np.int64)
    present = np.fromiter((bool(k) for k in keys), bool, len(keys))
    key_array, row_array = key_array[present], row_array[present]
    if len(key_array) == 0:
        return KeyIndex.build([], np.zeros(0, np.int64))
    unique, groups = np.unique(key_array, return_inverse=True)
    pairs = np.unique(groups.astype(np.int64) * (n_rows + 1) + row_array)
    csr, _ = Csr.build(pairs // (n_rows + 1), pairs % (n_rows + 1), len(unique))
    table = StringTable.from_strings(unique.tolist())
    prefixes = np.array([key_prefix(k.encode("utf-8")) for k in unique.tolist()], np.uint64)
    return KeyIndex(keys=table, rows=csr, prefixes=prefixes)


def build_name_index(entries: NameEntries) -> NameIndex:
    """Index every name of `entries` (build time)."""
    n = len(entries.texts)
    exact_keys: list[str] = []
    exact_rows: list[int] = []
    bare_keys: list[str] = []
    word_keys: list[str] = []
    word_rows: list[int] = []
    joined_keys: list[str] = []
    joined_rows: list[int] = []
    length = np.zeros(n, np.int16)
    for i, text in enumerate(entries.texts):
        tokens = name_tokens(text)
        bare = strip_articles(tokens)
        content = sum(t not in ARTICLES for t in tokens) or len(tokens)
        length[i] = min(content, np.iinfo(np.int16).max)
        for key in {match_key(text), "".join(tokens)}:
            exact_keys.append(key)
            exact_rows.append(i)
        bare_keys.append("".join(bare))
        word_keys.extend(tokens)
        word_rows.extend([i] * len(tokens))
        for a, b in itertools.pairwise(tokens):
            joined_keys.append(a + b)
            joined_rows.append(i)
    return NameIndex(
        exact=_multi_key_index(exact_keys, exact_rows, n),
        bare=_multi_key_index(bare_keys, range(n), n),
        words=_multi_key_index(word_keys, word_rows, n),
        joined=_multi_key_index(joined_keys, joined_rows, n),
        entity=np.asarray(entries.entities, np.int32),
        length=length,
    )
