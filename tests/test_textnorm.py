from cinerec.textnorm import match_key


def test_case_accents_punctuation_and_spaces_are_ignored() -> None:
    assert match_key("WALL·E") == match_key("wall-e") == "walle"
    assert match_key("Amélie") == match_key("amelie") == "amelie"
    assert match_key("  Toy   Story ") == "toystory"
    assert match_key("Léon: The Professional") == "leontheprofessional"
    assert match_key("Se7en") == "se7en"


def test_non_latin_letters_are_kept() -> None:
    assert match_key("千と千尋の神隠し") != ""
    assert match_key("Ποτέ την Κυριακή") == match_key("ποτε την κυριακη")


def test_empty_and_symbols_only() -> None:
    assert match_key("") == ""
    assert match_key(None) == ""
    assert match_key("?!·-") == ""
