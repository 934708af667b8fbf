"""Parsing the nested columns (Python-literal lists of dicts) inside DuckDB, vectorized.

`ast.literal_eval` row by row takes minutes on the 190 MB credits file. Here RE2 does the
tokenizing: one pass splits a cell into dict literals, one pass splits a dict into
`'key': value` pairs. Both scans consume string literals whole and left to right, so a quote,
brace or `'key': ` inside a value is never mistaken for structure. The rare values that
carry an escape (a backslash) are decoded by Python's own literal parser, which keeps the
result exactly what `ast.literal_eval` would give.
"""

from __future__ import annotations

import ast

import duckdb

_STR = r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*\""""
_VALUE = rf"""(?:{_STR}|None|True|False|nan|-?inf|-?[0-9][0-9.eE+-]*)"""
DICT_PATTERN = r"""\{(?:[^{}'"]|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")*\}"""
PAIR_PATTERN = rf"""'[A-Za-z_0-9]+': {_VALUE}"""


def _python_literal(value: str | None) -> str | None:
    """Decode one escaped Python string literal (only called on values holding a backslash)."""
    if value is None:
        return None
    try:
        decoded = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return value
    return None if decoded is None else str(decoded)


def register_literal_functions(con: duckdb.DuckDBPyConnection) -> None:
    """Macros that turn a raw Python literal token into SQL text / integers."""
    con.create_function(  # type: ignore[call-overload]
        "py_string_literal",
        _python_literal,
        ["VARCHAR"],
        "VARCHAR",
        null_handling="special",
        side_effects=False,
    )
    con.execute(
        r"""
        CREATE OR REPLACE MACRO py_text(v) AS
            CASE
                WHEN v IS NULL OR v IN ('None', 'nan') THEN NULL
                WHEN left(v, 1) IN ('''', '"') THEN
                    CASE WHEN contains(v, '\') THEN py_string_literal(v)
                         ELSE v[2:-2] END
                ELSE v
            END
        """
    )
    con.execute(
        """
        CREATE OR REPLACE MACRO py_field(pairs, key) AS
            list_extract(
                list_transform(
                    list_filter(pairs, lambda p: starts_with(p, '''' || key || ''': ')),
                    lambda p: substr(p, length(key) + 5)
                ),
                1
            )
        """
    )


def explode_literal_sql(source: str, id_column: str, column: str, fields: dict[str, str]) -> str:
    """SQL selecting one row per dict of `column`: id, position, then each field.

    `fields` maps a key of the dicts to its SQL type ('VARCHAR', 'BIGINT', 'INTEGER', ...).
    """
    selected = []
    for key, sql_type in fields.items():
        raw = f"py_field(pairs, '{key}')"
        if sql_type == "VARCHAR":
            selected.append(f'py_text({raw}) AS "{key}"')
        else:
            selected.append(f'TRY_CAST(py_text({raw}) AS {sql_type}) AS "{key}"')
    return f"""
        WITH dicts AS (
            SELECT movie_id, UNNEST(d) AS dict, generate_subscripts(d, 1) AS position
            FROM (
                SELECT {id_column} AS movie_id, regexp_extract_all("{column}", $${DICT_PATTERN}$$) AS d
                FROM {source}
                WHERE "{column}" IS NOT NULL AND length("{column}") > 2
            )
        ),
        kv AS (
            SELECT movie_id, position, regexp_extract_all(dict, $${PAIR_PATTERN}$$) AS pairs
            FROM dicts
        )
        SELECT movie_id, position, {", ".join(selected)}
        FROM kv
    """
