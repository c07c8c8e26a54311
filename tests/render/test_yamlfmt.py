"""mwgen.render.yamlfmt: one canonical YAML layout (block style, indented sequences,
literal blocks, plain strings only where they read back), and an emitter that cannot
change meaning: proven here over generated data by real readers, and checked per stream
when ``MWGEN_SELF_CHECK=1`` (the suite runs with it on)."""

from __future__ import annotations

import math
import textwrap
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

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
        dump_yaml([{1: "a"}], check=True)
    assert caught.value.exit_code == 2
    assert caught.value.lines() == ["mwgen: internal error: canonical YAML does not read back "
                                    "as its data (a bug in mwgen)"]


def test_a_float_never_reads_back_as_an_int(monkeypatch: pytest.MonkeyPatch) -> None:
    """Python calls 1 == 1.0 == True and dicts equal in any order; the read-back check
    does not: a changed type or key order is a changed meaning."""
    monkeypatch.setattr(yamlfmt, "read_back", lambda text: [{"f": 1}])
    with pytest.raises(EmitError):
        dump_yaml([{"f": 1.0}], check=True)
    monkeypatch.setattr(yamlfmt, "read_back", lambda text: [{"b": 1}])
    with pytest.raises(EmitError):
        dump_yaml([{"b": True}], check=True)
    monkeypatch.setattr(yamlfmt, "read_back", lambda text: [{"b": 0, "a": 1}])
    with pytest.raises(EmitError):  # key order is part of the data
        dump_yaml([{"a": 1, "b": 0}], check=True)


# -- the proof that lets a render skip the per-stream read-back ----------------------
#: Strings that look like other YAML: every kind of scalar, indicator and marker.
TRICKY = ["", " ", "yes", "No", "on", "OFF", "~", "null", "Null", "true", "1", "-1", "0o17",
          "017", "0x1F", "1_000", "1e3", "1.0e-05", ".inf", "-.Inf", ".NaN", "2024-01-05",
          "2001-12-14t21:59:43.10-05:00", "12:30:45", "<<", "=", ":", "- a", "? a", "#x",
          "a #b", "a: b", "---", "...", "--- x", "&a", "*a", "!t", "%YAML", "@x", "`x",
          "'q'", '"q"', "{a}", "[a]", "|", ">", "a\nb", "a\n", "\n", "a\n\n", " a",
          "a ", "\ta", "a\t", "\u2028", "\ufeffx", "\x85", "\x00", "\x7f", "é",
          "😀", "a" * 1100, "y", "n", "Y", "=x", "0b101", "+1", "1.", ".5", "-.5e3", "1:20"]
strings = st.sampled_from(TRICKY) | st.text(max_size=40)
scalars = (st.none() | st.booleans() | st.integers(-2**63, 2**63 - 1)
           | st.floats(allow_nan=True, allow_infinity=True) | strings)
data = st.recursive(scalars, lambda kids: st.lists(kids, max_size=4)
                    | st.dictionaries(strings, kids, max_size=4), max_leaves=30)
LOADERS = [getattr(yaml, "CSafeLoader", yaml.SafeLoader), yaml.SafeLoader]


def strictly_equal(a: Any, b: Any) -> bool:
    """Equal data with exact types (1, 1.0 and True differ), key order, NaN == NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(strictly_equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(strictly_equal(x, y) for x, y in zip(a, b))
    return bool(a == b)


@settings(max_examples=400, deadline=None)
@given(st.lists(data, min_size=1, max_size=3))
def test_any_data_reads_back_exactly_without_the_per_stream_check(docs: list[Any]) -> None:
    text = dump_yaml(docs, check=False)
    for loader in LOADERS:
        assert strictly_equal(list(yaml.load_all(text, Loader=loader)), docs), text


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(strings, data, min_size=1, max_size=4)
       | st.lists(data, min_size=1, max_size=4))
def test_to_yaml_text_indented_under_a_key_reads_back_exactly(value: Any) -> None:
    """What ``{{ x | to_yaml | indent(2) }}`` puts under a key, with a key after it."""
    text = dump_yaml([value], embedded=True, check=False)[:-1]
    doc = "root:\n" + textwrap.indent(text, "  ", lambda line: True) + "\nafter: 1\n"
    assert strictly_equal(list(yaml.safe_load_all(doc)), [{"root": value, "after": 1}]), doc


def test_the_per_stream_check_is_off_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(yamlfmt, "read_back", lambda text: calls.append(text) or [{"a": 1}])
    monkeypatch.delenv(yamlfmt.SELF_CHECK_ENV, raising=False)
    dump_yaml([{"a": 1}])
    assert calls == []
    monkeypatch.setenv(yamlfmt.SELF_CHECK_ENV, "1")
    dump_yaml([{"a": 1}])
    assert calls == ["a: 1\n"]
