"""The vectorized parser must agree with `ast.literal_eval` on every Python literal it meets."""

from __future__ import annotations

import ast
import random

import duckdb
import pyarrow as pa

from cinerec.etl.literals import explode_literal_sql, register_literal_functions

NASTY = [
    "O'Brien",
    'Robert "Bob" Smith',
    "both ' and \" quotes",
    "back\\slash",
    "new\nline",
    "tab\there",
    "{braces}, 'name': 'fake'",
    "Zoë Kravitz",
    "José",
    "千と千尋",
    "\xa0non-breaking",
    "emoji 🎬",
    "",
    "trailing backslash \\",
    "}, {'id': 1",
]


def _parse(cells: list[str | None]) -> list[list[dict[str, object]]]:
    con = duckdb.connect()
    register_literal_functions(con)
    con.register(
        "src",
        pa.table({"movie_id": list(range(len(cells))), "col": pa.array(cells, pa.string())}),
    )
    sql = explode_literal_sql(
        "src", "movie_id", "col", {"id": "BIGINT", "name": "VARCHAR", "character": "VARCHAR"}
    )
    rows = con.execute(sql + " ORDER BY movie_id, position").fetchall()
    out: list[list[dict[str, object]]] = [[] for _ in cells]
    for movie_id, _pos, pid, name, character in rows:
        out[movie_id].append({"id": pid, "name": name, "character": character})
    return out


def test_agrees_with_literal_eval_on_random_nasty_strings() -> None:
    rng = random.Random(7)
    cells: list[str | None] = []
    for _ in range(300):
        items = [
            {
                "cast_id": rng.randint(0, 50),
                "character": rng.choice(NASTY) + rng.choice(NASTY),
                "id": rng.choice([None, rng.randint(1, 10**7)]),
                "name": rng.choice(NASTY),
                "order": rng.randint(0, 30),
                "profile_path": rng.choice([None, "/x.jpg"]),
            }
            for _ in range(rng.randint(0, 6))
        ]
        cells.append(repr(items))
    parsed = _parse(cells)
    for cell, got in zip(cells, parsed, strict=True):
        expected = [
            {"id": d["id"], "name": d["name"], "character": d["character"]}
            for d in ast.literal_eval(cell)  # type: ignore[arg-type]
        ]
        assert got == expected


def test_empty_and_missing_cells_give_no_rows() -> None:
    assert _parse(["[]", None, "", "nan"]) == [[], [], [], []]


def test_single_dict_cell() -> None:
    cell = repr({"id": 10194, "name": "Toy Story Collection", "poster_path": None})
    assert _parse([cell]) == [[{"id": 10194, "name": "Toy Story Collection", "character": None}]]


def test_nan_values_read_as_missing() -> None:
    cell = "[{'id': 5, 'name': 'A', 'character': nan}, {'id': 6, 'name': 'B', 'character': 'x'}]"
    assert _parse([cell]) == [
        [{"id": 5, "name": "A", "character": None}, {"id": 6, "name": "B", "character": "x"}]
    ]
