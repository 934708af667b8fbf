"""Ranking rules of name search (`queries.search`), each on a case small enough to read."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from cinerec.catalog.name_index import NameEntries, NameIndex, build_name_index
from cinerec.queries.search import max_edits, rank_names
from cinerec.textnorm import name_tokens, strip_articles


def index_of(names: Sequence[str]) -> NameIndex:
    return build_name_index(NameEntries(entities=np.arange(len(names)), texts=list(names)))


def ranked(
    names: Sequence[str], query: str, prominence: Sequence[float] | None = None
) -> list[str]:
    weight = np.asarray(prominence if prominence is not None else [0.0] * len(names), np.float32)
    hits = rank_names(index_of(names), query, weight, 10).hits
    return [names[h.entity] for h in hits]


def test_tokens_fold_case_accents_numerals_and_ampersands() -> None:
    assert name_tokens("Rocky II") == name_tokens("rocky 2") == ["rocky", "2"]
    assert name_tokens("Ocean's Eleven") == ["oceans", "11"]
    assert name_tokens("Fast & Furious") == ["fast", "and", "furious"]
    assert name_tokens("Amélie") == ["amelie"]
    assert name_tokens("L'Avventura") == ["l", "avventura"]
    assert strip_articles(name_tokens("El laberinto del fauno")) == ["laberinto", "del", "fauno"]
    assert strip_articles(name_tokens("Die Hard")) == ["die", "hard"]  # not an article here


def test_typos_allowed_grow_with_the_word() -> None:
    assert [max_edits(w) for w in ("her", "nemo", "matrix", "interstellar")] == [0, 1, 1, 2]


def test_exact_beats_every_other_rule_among_equals() -> None:
    names = ["The Dark Knight Rises", "The Dark Knight", "Dark Knights", "Dark Knigth"]
    assert ranked(names, "the dark knight")[0] == "The Dark Knight"


def test_article_free_match_comes_before_word_matches() -> None:
    names = ["The Matrix Reloaded", "The Matrix", "Matrix of Leadership"]
    assert ranked(names, "matrix")[0] == "The Matrix"


def test_more_of_the_name_covered_ranks_higher() -> None:
    assert ranked(["Finding Nemo and Friends", "Finding Nemo"], "finding nemo")[0] == "Finding Nemo"
    assert ranked(["The Dark Knight Rises", "The Dark Knight"], "dark knight")[0] == (
        "The Dark Knight"
    )


def test_word_matches_beat_typos() -> None:
    assert ranked(["Heat", "Heart"], "heart") == ["Heart", "Heat"]


def test_prominence_breaks_ties() -> None:
    names = ["Hercules", "Hercules"]
    hits = rank_names(index_of(names), "hercules", np.asarray([0.2, 0.9], np.float32), 2).hits
    assert [h.entity for h in hits] == [1, 0]


def test_a_famous_near_exact_match_beats_an_obscure_exact_one() -> None:
    names = ["Godfather", "The Godfather"]
    assert ranked(names, "godfather", [0.1, 0.95])[0] == "The Godfather"
    # but not a weak match: an obscure exact title still beats a famous partial one
    assert ranked(["Godfather", "Tokyo Godfathers"], "godfather", [0.1, 0.6])[0] == "Godfather"


def test_typos_transpositions_and_joined_words() -> None:
    names = ["The Matrix", "M", "X", "Interstellar", "Spider-Man", "Pulp Fiction"]
    assert ranked(names, "matrx")[0] == "The Matrix"
    assert ranked(names, "interstelar")[0] == "Interstellar"
    assert ranked(names, "pulp ficton")[0] == "Pulp Fiction"
    assert ranked(names, "spider man")[0] == "Spider-Man"
    assert ranked(["Robert De Niro", "Nero"], "deniro")[0] == "Robert De Niro"


def test_a_one_letter_name_only_matches_itself() -> None:
    names = ["M", "X", "R", "The Matrix"]
    assert "M" not in ranked(names, "matrx") and "X" not in ranked(names, "matrx")
    assert ranked(names, "m")[0] == "M"


def test_reversed_names_and_surnames() -> None:
    names = ["James Cameron", "Cameron Diaz", "James Franco"]
    assert ranked(names, "cameron james")[0] == "James Cameron"
    people = ["Jeanette Nolan", "Christopher Nolan", "Nolan North"]
    assert ranked(people, "nolan", [0.3, 0.95, 0.4])[0] == "Christopher Nolan"


def test_numbers_and_roman_numerals_agree() -> None:
    assert ranked(["Rocky", "Rocky II", "Rocky III"], "rocky 2")[0] == "Rocky II"
    assert ranked(["Ocean's Eleven", "Oceans"], "oceans 11")[0] == "Ocean's Eleven"


def test_a_year_in_the_query_picks_the_year() -> None:
    names = ["The Godfather", "The Godfather"]
    years = np.asarray([1972, 1991])
    hits = rank_names(
        index_of(names), "godfather 1991", np.zeros(2, np.float32), 2, years=years
    ).hits
    assert hits[0].entity == 1


def test_filter_and_counts() -> None:
    names = ["Alien", "Aliens", "Alien 3"]
    ranking = rank_names(
        index_of(names), "alien", np.zeros(3, np.float32), 1, allowed=np.asarray([0, 1, 1], bool)
    )
    assert [h.entity for h in ranking.hits] == [1] and ranking.total == 2


@pytest.mark.parametrize("query", ["", "?!", "zzzzzzzz"])
def test_nothing_to_match(query: str) -> None:
    assert rank_names(index_of(["Alien"]), query, np.zeros(1, np.float32), 5).hits == []


def test_index_round_trip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    index = index_of(["The Matrix", "Rocky II", "千と千尋の神隠し"])
    index.save(tmp_path, "names")
    loaded = NameIndex.load(tmp_path, "names")
    for query in ("matrx", "rocky 2", "千と千尋の神隠し", "the matrix"):
        a = rank_names(index, query, np.zeros(3, np.float32), 3).hits
        b = rank_names(loaded, query, np.zeros(3, np.float32), 3).hits
        assert a == b and a
