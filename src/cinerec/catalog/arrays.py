"""Compact, memory-mappable containers for the serving index.

Python lists and dicts of hundreds of thousands of strings cost hundreds of MB and seconds
to build. These keep everything in flat NumPy arrays saved as `.npy`, loaded with
`mmap_mode="r"`: startup is a few file opens, and several workers share the pages.
"""

from __future__ import annotations

import itertools
import mmap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
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


def scalars(array: np.ndarray[Any, Any]) -> memoryview:
    """A view of the same memory whose items are Python ints/floats/bools.

    Reading one element through it costs ~50 ns; `int(array[i])` costs ~250 ns (a NumPy
    scalar, then a conversion), which adds up when a request reads a few hundred of them.
    """
    return np.ascontiguousarray(array).data


@dataclass(frozen=True)
class StringTable:
    """A column of optional strings: UTF-8 bytes, cumulative offsets and a null mask."""

    offsets: IntArray  # n + 1 cumulative byte offsets
    data: np.ndarray[Any, np.dtype[np.uint8]]
    null: np.ndarray[Any, np.dtype[np.bool_]]
    # `data` as something whose slices are `bytes` (the mapped file, `_base` bytes in, when
    # loaded): a slice of it decodes 2x faster than a memoryview slice
    _bytes: Any = field(default=None, repr=False, compare=False)
    _base: int = field(default=0, repr=False, compare=False)
    # the same memory as Python-level views, for fast single-item reads
    _offsets: memoryview = field(init=False, repr=False, compare=False)
    _null: memoryview = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_offsets", scalars(self.offsets))
        object.__setattr__(self, "_null", scalars(self.null))
        if self._bytes is None:
            object.__setattr__(self, "_bytes", self.data.tobytes())

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def raw(self, i: int) -> bytes | None:
        if self._null[i]:
            return None
        base = self._base
        return bytes(self._bytes[base + self._offsets[i] : base + self._offsets[i + 1]])

    def get(self, i: int) -> str | None:
        return None if self._null[i] else self.text(i)

    def text(self, i: int) -> str:
        """The string, or '' for None."""
        if self._null[i]:
            return ""
        base = self._base
        return self._bytes[base + self._offsets[i] : base + self._offsets[i + 1]].decode()

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
        mapped, base = _map_npy(directory / f"{name}.data.npy")
        return cls(
            offsets=load_array(directory, f"{name}.offsets"),
            data=np.frombuffer(mapped, dtype=np.uint8, offset=base),
            null=load_array(directory, f"{name}.null"),
            _bytes=mapped,
            _base=base,
        )


def _map_npy(path: Path) -> tuple[mmap.mmap, int]:
    """A 1-D uint8 `.npy` file mapped read-only, and where its data starts."""
    with path.open("rb") as f:
        version = np.lib.format.read_magic(f)
        read_header = (
            np.lib.format.read_array_header_1_0
            if version == (1, 0)
            else np.lib.format.read_array_header_2_0
        )
        shape, _, dtype = read_header(f)
        if dtype != np.uint8 or len(shape) != 1:
            raise ValueError(f"{path} is not a 1-D uint8 array")
        base = f.tell()
        mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    return mapped, base


@dataclass(frozen=True)
class Csr:
    """Items grouped by a row index: `items[indptr[k]:indptr[k + 1]]` belong to group k."""

    indptr: IntArray
    items: IntArray
    _indptr: memoryview = field(init=False, repr=False, compare=False)
    _items: memoryview = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_indptr", scalars(self.indptr))
        object.__setattr__(self, "_items", scalars(self.items))

    def group(self, k: int) -> IntArray:
        return self.items[self._indptr[k] : self._indptr[k + 1]]

    def group_list(self, k: int) -> list[int]:
        """`group(k)` as Python ints, for per-item work in Python (no NumPy scalars)."""
        return self._items[self._indptr[k] : self._indptr[k + 1]].tolist()

    def size(self, k: int) -> int:
        return self._indptr[k + 1] - self._indptr[k]

    def span(self, k: int) -> slice:
        return slice(self._indptr[k], self._indptr[k + 1])

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


def key_prefix(key: bytes) -> int:
    """The first 8 bytes of a key as a big-endian number (zero-padded): sorted keys have
    non-decreasing prefixes, and a smaller prefix means a smaller key."""
    return int.from_bytes(key[:8].ljust(8, b"\0"), "big")


@dataclass(frozen=True)
class KeyIndex:
    """Sorted match keys -> rows, searched by bisection (no dict of hundreds of thousands)."""

    keys: StringTable  # sorted by UTF-8 bytes, unique
    rows: Csr  # rows per key, in preference order
    prefixes: np.ndarray[Any, np.dtype[np.uint64]]  # `key_prefix` of each key
    _prefixes: memoryview = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_prefixes", scalars(self.prefixes))

    def _key(self, i: int) -> bytes:
        keys = self.keys
        offsets, base = keys._offsets, keys._base
        return bytes(keys._bytes[base + offsets[i] : base + offsets[i + 1]])

    def _bisect(self, target: bytes) -> int:
        """bisect_left over the sorted keys.

        One NumPy search over the 8-byte prefixes (~18 probes of the keys in Python would cost
        4× more), then bytes comparisons among the few keys sharing the target's prefix.
        """
        prefix = key_prefix(target)
        as_uint = np.uint64(prefix)  # a Python int would be compared as a float64
        lo = int(self.prefixes.searchsorted(as_uint))
        if lo == len(self.prefixes) or self._prefixes[lo] != prefix or self._key(lo) >= target:
            return lo
        hi = int(self.prefixes.searchsorted(as_uint, "right"))
        lo += 1
        while lo < hi:
            mid = (lo + hi) // 2
            if self._key(mid) < target:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def position(self, key: str) -> int:
        """The position of `key` among the keys, or -1."""
        if not key:
            return -1
        target = key.encode("utf-8")
        i = self._bisect(target)
        if i < len(self.keys) and self._key(i) == target:
            return i
        return -1

    def lookup(self, key: str) -> IntArray:
        i = self.position(key)
        return self.rows.group(i) if i >= 0 else np.zeros(0, dtype=np.int64)

    def lookup_list(self, key: str) -> list[int]:
        """`lookup` as Python ints."""
        i = self.position(key)
        return self.rows.group_list(i) if i >= 0 else []

    def prefix(self, key: str, limit: int) -> list[int]:
        """Key positions starting with `key`, at most `limit`."""
        target = key.encode("utf-8")
        i = self._bisect(target)
        found: list[int] = []
        while i < len(self.keys) and len(found) < limit and self._key(i).startswith(target):
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
        prefixes = np.array([key_prefix(k) for k in unique], dtype=np.uint64)
        return cls(keys=table, rows=csr, prefixes=prefixes)

    def save(self, directory: Path, name: str) -> None:
        self.keys.save(directory, f"{name}.keys")
        self.rows.save(directory, f"{name}.rows")
        save_array(directory, f"{name}.prefixes", self.prefixes)

    @classmethod
    def load(cls, directory: Path, name: str) -> KeyIndex:
        return cls(
            keys=StringTable.load(directory, f"{name}.keys"),
            rows=Csr.load(directory, f"{name}.rows"),
            prefixes=load_array(directory, f"{name}.prefixes"),
        )
