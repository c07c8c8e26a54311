"""mwgen.render.yamlfmt: one canonical YAML layout (block style, indented sequences,
literal blocks, plain strings only where they read back), and an emitter that cannot
change meaning: every stream is read back and compared with its data."""

from __future__ import annotations

import math
from typing import Any

import pytest
import yaml

from mwgen.errors import EmitError
from mwgen.render import yamlfmt
from mwgen.render.yamlfmt import dump_yaml


def back(text: str) -> list[Any]:
    return list(yaml.safe_load_all(text))


def test_block_style_with_sequences_indented_under_their_key() -> None:
    data = {"spec": {"containers": [{"name": "web", "ports": [80, 443]}, ["a", []]],
                     "empty": {}, "none": []}}
    assert dump_yaml([data]) == (
        "spec:\n"
        "  containers:\n"
        "    - name: web\n"
        "      ports:\n"
        "        - 80\n"
        "        - 443\n"
        "    - - a\n"
        "      - []\n"
        "  empty: {}\n"
        "  none: []\n")


def test_key_order_is_the_templates_not_sorted() -> None:
    assert dump_yaml([{"z": 1, "a": 2, "m": 3}]) == "z: 1\na: 2\nm: 3\n"


@pytest.mark.parametrize("value, text", [
    ("x\ny\n", "s: |\n  x\n  y\n"),
    ("x\ny", "s: |-\n  x\n  y\n"),
    ("x\n\n", "s: |+\n  x\n\n"),
    ("a\n\nb\n", "s: |\n  a\n\n  b\n"),
])
def test_multi_line_strings_are_literal_blocks(value: str, text: str) -> None:
    assert dump_yaml([{"s": value}]) == text
    assert back(text) == [{"s": value}]


@pytest.mark.parametrize("value", [" lead\nx", "\nfirst", "tab\t\nx", "x \ny", "x\ny ",
                                   "bell\x07\nx", "bom\ufeff\nx", "sep\u2028\nx"])
def test_strings_a_literal_block_cannot_carry_are_double_quoted(value: str) -> None:
    text = dump_yaml([{"s": value}])
    assert text.startswith('s: "') and back(text) == [{"s": value}]


def test_embedded_text_never_uses_a_keep_block() -> None:
    """In a template (``to_yaml``), lines follow the text: ``|+`` would swallow them."""
    assert dump_yaml([{"s": "x\n\n"}], embedded=True) == 's: "x\\n\\n"\n'
    assert dump_yaml([{"s": "x\n"}], embedded=True) == "s: |\n  x\n"


@pytest.mark.parametrize("value, text", [
    ("plain", "plain"), ("true", '"true"'), ("1", '"1"'), ("", '""'), ("null", '"null"'),
    ("1.0", '"1.0"'), ("a: b", '"a: b"'), ("- x", '"- x"'), (True, "true"), (None, "null"),
    (3, "3"), (1.0, "1.0"),
])
def test_a_string_is_plain_only_when_it_reads_back_as_itself(value: Any, text: str) -> None:
    assert dump_yaml([{"k": value}]) == f"k: {text}\n"


def test_keys_are_quoted_like_values() -> None:
    text = dump_yaml([{"n": 1, "on": 2, "a b": 3}])
    assert text == '"n": 1\n"on": 2\n"a b": 3\n'
    assert back(text) == [{"n": 1, "on": 2, "a b": 3}]


def test_a_key_longer_than_readers_accept_is_explicit() -> None:
    key = "k" * 1001
    text = dump_yaml([{key: {"x": 1}}])
    assert text == f"? {key}\n:\n  x: 1\n"
    assert back(text) == [{key: {"x": 1}}]
    assert dump_yaml([{"k" * 1000: 1}]).startswith("k" * 1000 + ": 1")


def test_documents_and_top_level_scalars() -> None:
    assert dump_yaml([{"a": 1}, "x\ny", 3, {}, [], None]) == (
        "a: 1\n---\n|-\n  x\n  y\n---\n3\n---\n{}\n---\n[]\n---\nnull\n")
    assert dump_yaml([]) == "\n"


def test_nan_and_infinities_round_trip() -> None:
    text = dump_yaml([{"n": float("nan"), "i": float("inf"), "m": float("-inf")}])
    assert text == '"n": .nan\ni: .inf\nm: -.inf\n'
    assert math.isnan(back(text)[0]["n"])


def test_same_data_same_bytes() -> None:
    data = [{"b": [1, {"c": "x\ny"}], "a": "s"}]
    assert dump_yaml(data) == dump_yaml([{"b": [1, {"c": "x\ny"}], "a": "s"}])


def test_data_the_emitter_would_change_is_an_internal_error_not_silent() -> None:
    """Keys are strings in everything mwgen loads; an int key would read back as "1"."""
    with pytest.raises(EmitError) as caught:
        dump_yaml([{1: "a"}])
    assert caught.value.exit_code == 2
    assert caught.value.lines() == ["mwgen: internal error: canonical YAML does not read back "
                                    "as its data (a bug in mwgen)"]


def test_a_float_never_reads_back_as_an_int(monkeypatch: pytest.MonkeyPatch) -> None:
    """Python calls 1 == 1.0 == True and dicts equal in any order; the read-back check
    does not: a changed type or key order is a changed meaning."""
    monkeypatch.setattr(yamlfmt, "read_back", lambda text: [{"f": 1}])
    with pytest.raises(EmitError):
        dump_yaml([{"f": 1.0}])
    monkeypatch.setattr(yamlfmt, "read_back", lambda text: [{"b": 1}])
    with pytest.raises(EmitError):
        dump_yaml([{"b": True}])
    monkeypatch.setattr(yamlfmt, "read_back", lambda text: [{"b": 0, "a": 1}])
    with pytest.raises(EmitError):  # key order is part of the data
        dump_yaml([{"a": 1, "b": 0}])
