"""Compact, memory-mappable containers for the serving index.

Python lists and dicts of hundreds of thousands of strings cost hundreds of MB and seconds
to build. These keep everything in flat NumPy arrays saved as `.npy`, loaded with
`mmap_mode="r"`: startup is a few file opens, and several workers share the pages.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

IntArray = np.ndarray[Any, np.dtype[np.int64]]
FloatArray = np.ndarray[Any, np.dtype[np.float64]]


def save_array(directory: Path, name: str, array: np.ndarray[Any, Any]) -> None:
    np.save(directory / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)


def load_array(directory: Path, name: str) -> np.ndarray[Any, Any]:
    """Memory-mapped, as a plain ndarray view (slicing a np.memmap subclass is much slower)."""
    return np.asarray(np.load(directory / f"{name}.npy", mmap_mode="r", allow_pickle=False))


@dataclass(frozen=True)
class StringTable:
    """A column of optional strings: UTF-8 bytes, cumulative offsets and a null mask."""

    offsets: IntArray  # n + 1 cumulative byte offsets
    data: np.ndarray[Any, np.dtype[np.uint8]]
    null: np.ndarray[Any, np.dtype[np.bool_]]

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def raw(self, i: int) -> bytes | None:
        if self.null[i]:
            return None
        return self.data[int(self.offsets[i]) : int(self.offsets[i + 1])].tobytes()

    def get(self, i: int) -> str | None:
        raw = self.raw(i)
        return None if raw is None else raw.decode("utf-8")

    def text(self, i: int) -> str:
        """The string, or '' for None."""
        return self.get(i) or ""

    @classmethod
    def from_strings(cls, values: Iterable[str | None]) -> StringTable:
        encoded = [None if v is None else v.encode("utf-8") for v in values]
        lengths = np.fromiter((0 if e is None else len(e) for e in encoded), np.int64, len(encoded))
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        blob = b"".join(e for e in encoded if e)
        data = np.frombuffer(blob, dtype=np.uint8) if blob else np.zeros(0, np.uint8)
        null = np.fromiter((e is None for e in encoded), bool, len(encoded))
        return cls(offsets=offsets, data=data, null=null)

    def save(self, directory: Path, name: str) -> None:
        save_array(directory, f"{name}.offsets", self.offsets)
        save_array(directory, f"{name}.data", self.data)
        save_array(directory, f"{name}.null", self.null)

    @classmethod
    def load(cls, directory: Path, name: str) -> StringTable:
        return cls(
            offsets=load_array(directory, f"{name}.offsets"),
            data=load_array(directory, f"{name}.data"),
            null=load_array(directory, f"{name}.null"),
        )


@dataclass(frozen=True)
class Csr:
    """Items grouped by a row index: `items[indptr[k]:indptr[k + 1]]` belong to group k."""

    indptr: IntArray
    items: IntArray

    def group(self, k: int) -> IntArray:
        return self.items[int(self.indptr[k]) : int(self.indptr[k + 1])]

    def span(self, k: int) -> slice:
        return slice(int(self.indptr[k]), int(self.indptr[k + 1]))

    def sizes(self) -> IntArray:
        return np.diff(self.indptr)

    @classmethod
    def build(
        cls, groups: IntArray, items: IntArray, n_groups: int, sort_key: IntArray | None = None
    ) -> tuple[Csr, IntArray]:
        """Group `items` by `groups`; inside a group order by `sort_key` (default: item).

        Also returns the permutation applied, to align other per-entry columns.
        """
        groups = np.asarray(groups, dtype=np.int64)
        items = np.asarray(items, dtype=np.int64)
        secondary = items if sort_key is None else np.asarray(sort_key)
        order = np.lexsort((secondary, groups))
        counts = (
            np.bincount(groups, minlength=n_groups) if len(groups) else np.zeros(n_groups, np.int64)
        )
        indptr = np.zeros(n_groups + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        return cls(indptr=indptr, items=items[order]), order

    def save(self, directory: Path, name: str) -> None:
        save_array(directory, f"{name}.indptr", self.indptr)
        save_array(directory, f"{name}.items", self.items)

    @classmethod
    def load(cls, directory: Path, name: str) -> Csr:
        return cls(
            indptr=load_array(directory, f"{name}.indptr"),
            items=load_array(directory, f"{name}.items"),
        )


class _KeyView(Sequence[bytes]):
    def __init__(self, keys: StringTable) -> None:
        self._keys = keys

    def __len__(self) -> int:
        return len(self._keys)

    def __getitem__(self, i: int) -> bytes:  # type: ignore[override]
        return self._keys.raw(i) or b""


@dataclass(frozen=True)
class KeyIndex:
    """Sorted match keys -> rows, searched by bisection (no dict of hundreds of thousands)."""

    keys: StringTable  # sorted by UTF-8 bytes, unique
    rows: Csr  # rows per key, in preference order

    def lookup(self, key: str) -> IntArray:
        if not key or len(self.keys) == 0:
            return np.zeros(0, dtype=np.int64)
        target = key.encode("utf-8")
        view = _KeyView(self.keys)
        i = bisect.bisect_left(view, target)
        if i < len(view) and view[i] == target:
            return self.rows.group(i)
        return np.zeros(0, dtype=np.int64)

    def prefix(self, key: str, limit: int) -> list[int]:
        """Key positions starting with `key`, at most `limit`."""
        target = key.encode("utf-8")
        view = _KeyView(self.keys)
        i = bisect.bisect_left(view, target)
        found: list[int] = []
        while i < len(view) and len(found) < limit and view[i].startswith(target):
            found.append(i)
            i += 1
        return found

    def all_keys(self) -> list[str]:
        """Every key as a list, decoded in one sweep (for fuzzy matching)."""
        blob = self.keys.data.tobytes()
        offsets = self.keys.offsets.tolist()
        return [blob[a:b].decode("utf-8") for a, b in itertools.pairwise(offsets)]

    @classmethod
    def build(cls, keys: Sequence[str], preference: IntArray) -> KeyIndex:
        """Index row i under keys[i] ('' is skipped); rows of one key ordered by `preference`."""
        encoded = [k.encode("utf-8") for k in keys]
        unique = sorted({k for k in encoded if k})
        position = {k: i for i, k in enumerate(unique)}
        groups = np.fromiter((position.get(k, -1) for k in encoded), np.int64, count=len(encoded))
        rows = np.arange(len(encoded), dtype=np.int64)
        ok = groups >= 0
        csr, _ = Csr.build(groups[ok], rows[ok], len(unique), sort_key=np.asarray(preference)[ok])
        table = StringTable.from_strings(k.decode("utf-8") for k in unique)
        return cls(keys=table, rows=csr)

    def save(self, directory: Path, name: str) -> None:
        self.keys.save(directory, f"{name}.keys")
        self.rows.save(directory, f"{name}.rows")

    @classmethod
    def load(cls, directory: Path, name: str) -> KeyIndex:
        return cls(
            keys=StringTable.load(directory, f"{name}.keys"),
            rows=Csr.load(directory, f"{name}.rows"),
        )
