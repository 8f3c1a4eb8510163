"""The strict YAML loader on its own: strings stay strings, and unsafe YAML is refused."""

from __future__ import annotations

import pytest

from kb.content import strict_yaml


def test_scalars_stay_strings():
    loaded = strict_yaml.load("a: NO\nb: yes\nc: 2024-01-01\nd: 10:00\ne: 1e3\nf: ~\ng: null\n")
    assert loaded.value == {
        "a": "NO",
        "b": "yes",
        "c": "2024-01-01",
        "d": "10:00",
        "e": "1e3",
        "f": "~",
        "g": "null",
    }


def test_empty_value_is_none_but_empty_quotes_are_text():
    assert strict_yaml.load('a:\nb: ""\n').value == {"a": None, "b": ""}


def test_lines_are_recorded_for_keys_and_items():
    loaded = strict_yaml.load("a: 1\nb:\n  - x\n  - y: 2\n", first_line=5)
    assert loaded.lines[("a",)] == 5
    assert loaded.lines[("b", 1)] == 8
    assert loaded.lines[("b", 1, "y")] == 8
    assert loaded.line_of(("b", 0, "missing")) == 7
    assert loaded.line_of(("nowhere",)) == 5


def test_all_duplicates_anchors_and_tags_are_collected():
    loaded = strict_yaml.load("a: 1\na: 2\nb: &x 3\nc: *x\nd: !custom 4\na: 5\n")
    assert loaded.problems == [
        (2, "has the field 'a' twice, on lines 1 and 2; keep one and delete the other"),
        (3, "uses the anchor '&x', which is not allowed; remove it"),
        (4, "uses the alias '*x', which is not allowed; write the value out in full"),
        (5, "uses the YAML tag '!custom', which is not allowed; remove it"),
        (6, "has the field 'a' twice, on lines 1 and 6; keep one and delete the other"),
    ]
    assert loaded.value["a"] == "1"  # the first value is kept, the repeat reported


def test_billion_laughs_is_refused_without_expanding():
    text = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\nd: [*c,*c]\n'
    loaded = strict_yaml.load(text)
    assert loaded.value["d"] == [None, None]
    assert len(loaded.problems) == 9  # three anchors and six aliases, all reported


def test_more_than_one_document_is_refused():
    with pytest.raises(strict_yaml.StrictYAMLError) as error:
        strict_yaml.load("a: 1\n---\nb: 2\n")
    assert error.value.line == 2
    assert "more than one YAML document" in error.value.message


def test_control_characters_are_a_clear_error():
    with pytest.raises(strict_yaml.StrictYAMLError) as error:
        strict_yaml.load("a: 1\nb: \x07\n")
    assert error.value.line == 2
    assert error.value.message.startswith("is not valid YAML")
