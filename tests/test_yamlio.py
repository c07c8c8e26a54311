"""YAML loading: positions, and every way a values file can be broken."""

from __future__ import annotations

import pytest

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
