"""Ranked name search: from what people type to the movie or person they mean.

Two stages, as search engines do it. Candidates come from the word index
(`catalog.name_index`): whole-name keys, words, prefixes, two words written as one, and typos
within an edit distance that grows with the word (RapidFuzz's OSA distance, transpositions
count one). Each candidate name then gets a relevance from the best rule it meets, and the
entity's prominence (votes of a movie; votes of a person's films) is added, so among names
that match alike the famous one comes first and a famous near-exact match beats an obscure
exact one ("godfather" -> The Godfather, not the 1991 "Godfather").

The rules, strongest first (the numbers are `Relevance`):

- exact: the whole match key ("the matrix", "wall-e" for WALL·E);
- bare: the same without a leading article ("matrix", "laberinto del fauno");
- same words: every word of the name, in another order ("cameron james");
- words: every query word is a word, a prefix or two joined words of the name; more of the
  name covered ranks higher ("dark knight" -> The Dark Knight before The Dark Knight Rises);
- typo: as above with some word (or the whole key) within its edit distance ("matrx");
- partial: at least half of the query words match (a stray extra word).

A one-letter name can only match a one-letter query exactly: prefixes need two letters and
typos four.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from cinerec.catalog.arrays import KeyIndex
from cinerec.catalog.name_index import FuzzyVocabulary, NameIndex
from cinerec.textnorm import ARTICLES, match_key, name_tokens, strip_articles

FloatArray = np.ndarray[Any, np.dtype[np.float32]]
IntArray = np.ndarray[Any, np.dtype[np.int64]]


@dataclass(frozen=True)
class Relevance:
    """Relevance of each rule; a (base, span) pair means base + span × coverage × quality,
    coverage being the share of the name's words the query matched."""

    exact: float = 1.0
    bare: float = 0.93
    same_words: float = 0.88
    words: tuple[float, float] = (0.55, 0.25)
    typo: tuple[float, float] = (0.35, 0.2)
    partial: tuple[float, float] = (0.1, 0.2)


RELEVANCE = Relevance()
RULES = ("none", "exact", "bare", "same_words", "words", "typo", "partial")
PROMINENCE_WEIGHT = 0.6  # prominence is in [0, 1]
QUALITY = {"word": 1.0, "joined": 0.95, "prefix": 0.8, "typo1": 0.75, "typo2": 0.6}
PREFIX_EXPANSIONS = 64  # most frequent words a prefix stands for
YEAR_RANGE = (1870, 2030)


def max_edits(word: str) -> int:
    """Typos allowed in a word: none up to 3 letters, one up to 7, two beyond."""
    n = len(word)
    return 0 if n <= 3 else 1 if n <= 7 else 2


@dataclass(frozen=True)
class NameHit:
    entity: int
    score: float
    rule: str  # the strongest rule the entity's best name met (one of RULES)


@dataclass(frozen=True)
class Ranking:
    hits: list[NameHit]  # the best `limit`, best first
    total: int  # entities that matched at all


def _prefix_positions(keys: KeyIndex, word: str, limit: int) -> np.ndarray[Any, Any]:
    """Positions of the keys that start with `word` (not `word` itself), most frequent first."""
    target = word.encode("utf-8")
    lo = keys._bisect(target)
    hi = keys._bisect(target + b"\xff")  # no UTF-8 string continues with 0xff
    if lo < len(keys.keys) and keys._key(lo) == target:
        lo += 1
    if hi <= lo:
        return np.zeros(0, np.int64)
    sizes = np.diff(keys.rows.indptr[lo : hi + 1])
    if len(sizes) > limit:
        top = np.argpartition(-sizes, limit - 1)[:limit]
        return lo + np.sort(top)
    return np.arange(lo, hi)


def _typo_positions(vocabulary: FuzzyVocabulary, word: str, edits: int) -> list[tuple[int, int]]:
    """(position, distance) of the keys within `edits` of `word` (not equal to it)."""
    positions, keys = vocabulary.candidates(word, edits)
    found = process.extract(word, keys, scorer=OSA.distance, score_cutoff=edits, limit=None)
    return [(positions[i], int(distance)) for _, distance, i in found if distance > 0]


def _postings(keys: KeyIndex, positions: Any) -> np.ndarray[Any, Any]:
    groups = [keys.rows.group(int(p)) for p in positions]
    return np.concatenate(groups) if groups else np.zeros(0, np.int64)


def word_matches(index: NameIndex, word: str, last: bool) -> tuple[IntArray, FloatArray]:
    """The entries with a word matching `word`, and how well (its best match), by entry."""
    rows: list[np.ndarray[Any, Any]] = []
    values: list[float] = []

    def add(found: np.ndarray[Any, Any], quality: float) -> None:
        if len(found):
            rows.append(found)
            values.append(quality)

    position = index.words.position(word)
    if position >= 0:
        add(index.words.rows.group(position), QUALITY["word"])
    joined = index.joined.position(word)
    if joined >= 0:
        add(index.joined.rows.group(joined), QUALITY["joined"])
    if len(word) >= (2 if last else 3):
        add(
            _postings(index.words, _prefix_positions(index.words, word, PREFIX_EXPANSIONS)),
            QUALITY["prefix"],
        )
    edits = max_edits(word)
    if edits:
        for typo, distance in _typo_positions(index.fuzzy("words"), word, edits):
            add(
                index.words.rows.group(typo),
                QUALITY["typo1"] if distance == 1 else QUALITY["typo2"],
            )
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    entries = np.concatenate(rows)
    quality = np.repeat(np.asarray(values, np.float32), [len(r) for r in rows])
    order = np.lexsort((-quality, entries))  # by entry, best quality first
    entries, quality = entries[order], quality[order]
    first = np.ones(len(entries), bool)
    first[1:] = entries[1:] != entries[:-1]
    return entries[first].astype(np.int64), quality[first]


def rank_names(
    index: NameIndex,
    text: str,
    prominence: FloatArray,
    limit: int,
    allowed: np.ndarray[Any, Any] | None = None,
    years: np.ndarray[Any, Any] | None = None,
) -> Ranking:
    """The `limit` best entities for `text`, best first, and how many matched.

    `prominence` (per entity, in [0, 1]) orders equals; `allowed` (per entity, bool) filters;
    `years` (per entity) lets a year in the query ("godfather 1972") match the entity's year.
    """
    words = name_tokens(text)
    if not words:
        return Ranking([], 0)
    offered: list[tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], int]] = []

    def offer(rows: Any, value: Any, rule: str) -> None:
        rows = np.asarray(rows, np.int64)
        if len(rows):
            values = np.broadcast_to(np.asarray(value, np.float32), rows.shape)
            offered.append((rows, values, RULES.index(rule)))

    key, joined_key = match_key(text), "".join(words)
    bare_key = "".join(strip_articles(words))
    for k in {key, joined_key}:
        offer(index.exact.lookup(k), RELEVANCE.exact, "exact")
    offer(index.bare.lookup(bare_key), RELEVANCE.bare, "bare")

    matches = [word_matches(index, w, i == len(words) - 1) for i, w in enumerate(words)]
    all_articles = all(w in ARTICLES for w in words)
    if any(len(m[0]) for m in matches):
        entries, inverse = np.unique(np.concatenate([m[0] for m in matches]), return_inverse=True)
        q = np.zeros((len(words), len(entries)), np.float32)
        at = 0
        for i, (rows, quality) in enumerate(matches):
            q[i, inverse[at : at + len(rows)]] = quality
            at += len(rows)
        by_year = np.zeros_like(q, dtype=bool)
        if years is not None:
            entry_years = np.asarray(years)[index.entity[entries]]
            for i, w in enumerate(words):
                if w.isdigit() and len(w) == 4 and YEAR_RANGE[0] <= int(w) <= YEAR_RANGE[1]:
                    by_year[i] = (entry_years == int(w)) & (q[i] == 0)
        matched = (q > 0) | by_year
        n_matched = matched.sum(axis=0)
        content = np.array([w not in ARTICLES for w in words]) if not all_articles else None
        in_name = ((q > 0) if content is None else (q > 0) & content[:, None]).sum(axis=0)
        length = np.maximum(index.length[entries].astype(np.float32), 1.0)
        coverage = np.minimum(1.0, in_name / length)
        effective = np.where(by_year, 1.0, q)
        mean_quality = effective.sum(axis=0) / len(words)
        everything = n_matched == len(words)
        strong = everything & (effective >= QUALITY["prefix"]).all(axis=0)
        same = strong & (q == QUALITY["word"]).all(axis=0) & (in_name >= length)
        base_w, span_w = RELEVANCE.words
        base_t, span_t = RELEVANCE.typo
        offer(entries[same], RELEVANCE.same_words, "same_words")
        words_rule = strong & ~same
        offer(entries[words_rule], (base_w + span_w * coverage * mean_quality)[words_rule], "words")
        typo_rule = everything & ~strong
        offer(entries[typo_rule], (base_t + span_t * coverage * mean_quality)[typo_rule], "typo")
        if len(words) >= 2:
            meaningful = np.array([w not in ARTICLES and len(w) > 1 for w in words])
            some = (n_matched >= (len(words) + 1) // 2) & ~everything
            some &= (matched & meaningful[:, None]).any(axis=0)
            base_p, span_p = RELEVANCE.partial
            share = n_matched / len(words)
            offer(entries[some], (base_p + span_p * share * coverage)[some], "partial")
    if len(bare_key) >= 5:
        base_t, span_t = RELEVANCE.typo
        # the whole name mistyped ("pulpficton"); one edit at most when the query has several
        # words, so a dropped word ("terminator 2" -> The Terminator) is not a typo
        edits = max_edits(bare_key) if len(words) == 1 else min(1, max_edits(bare_key))
        for position, distance in _typo_positions(index.fuzzy("bare"), bare_key, edits):
            value = QUALITY["typo1"] if distance == 1 else QUALITY["typo2"]
            offer(index.bare.rows.group(position), base_t + span_t * value, "typo")

    if not offered:
        return Ranking([], 0)
    rows = np.concatenate([o[0] for o in offered])
    values = np.concatenate([o[1] for o in offered])
    rules = np.concatenate([np.full(len(o[0]), o[2], np.int8) for o in offered])
    best = np.lexsort((-values, rows))  # by entry, highest relevance first
    first = np.ones(len(best), bool)
    first[1:] = rows[best][1:] != rows[best][:-1]
    best = best[first]
    candidates, relevance, rule_of = rows[best], values[best], rules[best]
    entities = index.entity[candidates].astype(np.int64)
    weight = np.asarray(prominence)[entities]
    score = relevance + PROMINENCE_WEIGHT * weight
    if allowed is not None:
        keep = np.asarray(allowed)[entities]
        entities, score, weight, rule_of = entities[keep], score[keep], weight[keep], rule_of[keep]
    total = len(np.unique(entities))
    order = np.lexsort((entities, -weight, -score))
    hits: list[NameHit] = []
    seen: set[int] = set()
    for i in order.tolist():  # one hit per entity: its best name
        if len(hits) >= limit:
            break
        entity = int(entities[i])
        if entity in seen:
            continue
        seen.add(entity)
        hits.append(NameHit(entity, float(score[i]), RULES[int(rule_of[i])]))
    return Ranking(hits, total)
