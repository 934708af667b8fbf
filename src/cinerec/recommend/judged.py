"""The judged "more like this" set: famous movies and what a film fan calls clearly similar.

`data/judged_similar.json` was written by hand from film knowledge (never from cinerec's
output; `tools/check_judged.py` checks it against a catalogue). It is split once, by the TMDB
id of the query movie, into a `fit` half that the learned blend may train on and a `test`
half that only measures: judged precision is reported on `test`, never on what a model was
fitted to.

The lists were written in two rounds: the first (13–19 films a query) and, at stop 33, a
second that completed each list toward the 19–29 films a fan names (every entry of the
franchise, more of the same maker and subgenre), again without looking at any output. An
entry of the second round carries `"round": 2`; `first` keeps the first round's rows so that
judged precision stays comparable with the figures measured before the lists grew. A third
round (stop 34) added new query movies, with their whole lists written at once: the query
and each of its entries carry `"round": 3`, and such a query has no first-round rows (the
first-round figure is measured over the first round's queries only). A fourth round (stop
41) added 235 more query movies the same way (`"round": 4`), a fifth and a sixth (stop
42) 226 and 235 more (`"round": 5` and `6`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np


@dataclass(frozen=True)
class JudgedQuery:
    movie_id: int
    title: str
    row: int  # catalogue row of the query movie
    similar: frozenset[int]  # catalogue rows judged similar (those in this catalogue)
    half: str  # "fit" or "test"
    first: frozenset[int] = frozenset()  # the rows of `similar` listed in the first round
    round: int = 1  # the round that added the query (1; 3 to 6 from stop 34 on)


def half_of(movie_id: int) -> str:
    """A stable half for a query movie (sha256 of its id, so no order or seed matters)."""
    digest = hashlib.sha256(str(movie_id).encode()).digest()
    return "fit" if digest[0] % 2 == 0 else "test"


def load_judged() -> list[dict[str, Any]]:
    text = (
        resources.files("cinerec.recommend").joinpath("data/judged_similar.json").read_text("utf-8")
    )
    queries: list[dict[str, Any]] = json.loads(text)["queries"]
    return queries


def judged_queries(ids: np.ndarray[Any, Any], half: str | None = None) -> list[JudgedQuery]:
    """The judged queries whose movie is in the catalogue (`ids`: sorted TMDB ids by row),
    with their similar movies as rows; only one half if asked."""

    def row_of(movie_id: int) -> int | None:
        i = int(np.searchsorted(ids, movie_id))
        return i if i < len(ids) and int(ids[i]) == movie_id else None

    found = []
    for query in load_judged():
        row = row_of(int(query["id"]))
        if row is None:
            continue
        similar = {row_of(int(s["id"])) for s in query["similar"]} - {None, row}
        first_round = [s for s in query["similar"] if int(s.get("round", 1)) == 1]
        first = {row_of(int(s["id"])) for s in first_round} - {None, row}
        part = half_of(int(query["id"]))
        if similar and (half is None or part == half):
            found.append(
                JudgedQuery(
                    int(query["id"]),
                    str(query["title"]),
                    row,
                    frozenset(r for r in similar if r is not None),
                    part,
                    frozenset(r for r in first if r is not None),
                    int(query.get("round", 1)),
                )
            )
    return found


def judged_profiles(
    judged: list[JudgedQuery], sizes: tuple[int, ...], per_size: int, seed: int
) -> list[tuple[JudgedQuery, ...]]:
    """Seeded taste profiles of `per_size` draws of each size from the judged queries (as a
    person would pick: films of any kind together, like Finding Nemo + Spirited Away +
    Amélie); what is similar to any of them is similar to the profile."""
    rng = np.random.default_rng(seed)
    profiles: list[tuple[JudgedQuery, ...]] = []
    for size in sizes:
        if size > len(judged):
            continue
        for _ in range(per_size):
            picked = rng.choice(len(judged), size=size, replace=False)
            profiles.append(tuple(judged[i] for i in sorted(picked.tolist())))
    return profiles
