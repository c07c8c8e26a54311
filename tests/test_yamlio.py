"""YAML loading: positions, and every way a values file can be broken."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mwgen import yamlio
from mwgen.yamlio import YAMLInputError, load_all, load_mapping, load_text


def err(text: bytes) -> YAMLInputError:
    with pytest.raises(YAMLInputError) as info:
        load_mapping(text, "f.yaml")
    return info.value


def test_positions_point_at_keys():
    data, prov = load_mapping(b"a: 1\nb:\n  c: [x, y]\n", "f.yaml")
    assert data == {"a": 1, "b": {"c": ["x", "y"]}}
    assert (prov.at(("b", "c")).origin.line, prov.at(("b", "c")).origin.column) == (3, 3)
    assert prov.at(("b", "c", 1)).origin.column == 10


@pytest.mark.parametrize("text, line, fragment", [
    (b"a: 1\na: 2\n", 2, "duplicate key 'a' (first at line 1)"),
    (b"x:\n  y:\n    z: 1\n    z: 2\n", 4, "duplicate key 'z'"),
    (b"a:\n\tb: 1\n", 2, "tab"),
    (b"a: [1,\n", 2, "invalid YAML"),
    (b"- 1\n- 2\n", 1, "expected a mapping at the top level, found a list"),
    (b"a: 1\n---\nb: 2\n", 2, "expected a single document"),
    (b"<<: {a: 1}\n", 1, "merge keys"),
    (b"a: 1\nb: \xff\n", 2, "not valid UTF-8"),
])
def test_bad_files_are_located(text, line, fragment):
    e = err(text)
    assert e.line == line
    assert fragment in e.message


def test_empty_file_is_empty_mapping_and_bom_is_accepted():
    assert load_mapping(b"", "f.yaml")[0] == {}
    assert load_mapping(b"# only a comment\n", "f.yaml")[0] == {}
    assert load_mapping(b"\xef\xbb\xbfa: 1\n", "f.yaml")[0] == {"a": 1}


def test_alias_bomb_fails_fast():
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i-1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    e = err("\n".join(lines).encode())
    assert "too large" in e.message


def test_deep_nesting_fails_fast():
    e = err(b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n")
    assert "nest" in e.message  # libyaml's own limit, or ours


def test_dates_stay_text_and_keys_are_strings():
    data, _ = load_mapping(b"d: 2024-01-02\n80: http\non: yes\n", "f.yaml")
    assert data == {"d": "2024-01-02", "80": "http", "on": True}


def test_load_all_checks_every_document():
    assert load_all("a: 1\n---\nb: 2\n", "o.yaml") == [{"a": 1}, {"b": 2}]
    with pytest.raises(YAMLInputError, match="duplicate key 'b'"):
        load_all("a: 1\n---\nb: 2\nb: 3\n", "o.yaml")


def test_scalars_remembered_from_rendered_output_still_get_the_values_range_check() -> None:
    """Constructed numbers are remembered per (tag, text); a values file still refuses
    what rendered output accepted before."""

    assert load_all("a: 1.0e+999\nb: 017\nc: 1_000\nd: yes\n", "out.yaml") == [
        {"a": float("inf"), "b": 15, "c": 1000, "d": True}]
    assert load_all("a: 1.0e+999\nb: 017\nc: 1_000\nd: yes\n", "out.yaml") == [
        {"a": float("inf"), "b": 15, "c": 1000, "d": True}]
    with pytest.raises(YAMLInputError, match=r"number out of range: 1\.0e\+999"):
        load_text("a: 1.0e+999\n", "values/defaults.yaml")


# -- the event fast path of load_all agrees with compose_all --------------------------

_scalars = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
            | st.sampled_from(["yes", "~", "<<", "1_000", "0o17", "2024-01-05", ".inf", ""]))
_data = st.recursive(_scalars, lambda kids: st.lists(kids, max_size=3)
                     | st.dictionaries(st.text(max_size=6) | st.sampled_from(["<<", "1", "~"]),
                                       kids, max_size=3), max_leaves=15)


def _outcome(read: Any) -> Any:
    try:
        return ("data", repr(read()))  # repr: types exact (1 vs 1.0 vs True), NaN equal
    except YAMLInputError as err:
        return ("error", err.lines())


def _both(text: str) -> tuple[Any, Any]:
    return (_outcome(lambda: load_all(text, "out.yaml")),
            _outcome(lambda: [d for d, _ in yamlio.compose_all(text, "out.yaml")]))


@settings(max_examples=300, deadline=None)
@given(st.lists(_data, max_size=3), st.booleans())
def test_fast_path_builds_what_compose_all_builds(docs: list, flow: bool) -> None:
    shared = {"k": [1, 2]}  # dumped with an anchor and an alias
    text = yaml.safe_dump_all(docs + [{"a": shared, "b": shared}], default_flow_style=flow,
                              allow_unicode=True, sort_keys=False)
    fast, composed = _both(text)
    assert fast == composed


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab1:- \n\t{}[],&*!#'\"?|>%@~.<", max_size=40))
def test_fast_path_agrees_on_any_text(text: str) -> None:
    fast, composed = _both(text)
    assert fast == composed


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n", "<<: {a: 1}\n", "? [1]\n: v\n", "a: !!str 1\n", "a: &x 1\nb: *x\n",
    "a: !custom x\n", "--- !!set {a, b}\n", "a: [1, {b: 2}\n", "a: b: c\n",
    "- !!binary aGVsbG8=\n- 2001-12-14t21:59:43.10-05:00\n", "---\n---\n", "",
    "1: a\nnull: b\ntrue: c\n", "a: 9" + "9" * 5000 + "\n", "[" * 120 + "]" * 120 + "\n",
])
def test_fast_path_agrees_on_edge_texts(text: str) -> None:
    fast, composed = _both(text)
    assert fast == composed


def test_plain_output_takes_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def composed(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("compose_all was used")

    monkeypatch.setattr(yamlio, "compose_all", composed)
    assert load_all("a: 1\nb: [x, {c: 2.5}]\n---\n- null\n", "o") == [
        {"a": 1, "b": ["x", {"c": 2.5}]}, [None]]
    with pytest.raises(AssertionError, match="compose_all was used"):
        load_all("a: &x 1\nb: *x\n", "o")  # anchors: the reference path
