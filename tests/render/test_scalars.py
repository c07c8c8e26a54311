"""Scalars every reader reads as what they are: strings stay strings in PyYAML, YAML
1.2 (ruamel) and go-yaml v2 (Kubernetes); floats stay floats; HCL keys stay keys."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from mwgen.render.escaping import hcl_literal, yaml_float, yaml_scalar
from mwgen.render.yamlfmt import dump_yaml
from mwgen.render.yamlplain import goyaml_v2_is_string, is_string_everywhere, yaml12_is_string
from tests.helpers import mwgen
from tests.render import readers
from tests.render.project import make_project, render_one

#: Strings the issue found written bare and read as something else by some reader.
MISREAD = ["y", "Y", "n", "N", "0o17", "0O17", "08", "1e3", "1E3", "1.0e5", "1e-3", ".5e3"]


@pytest.mark.parametrize("text", MISREAD)
def test_strings_some_reader_misreads_are_quoted(text: str) -> None:
    assert not is_string_everywhere(text)
    assert yaml_scalar(text) == f'"{text}"'


@pytest.mark.parametrize("text, go, y12", [
    ("y", False, True), ("on", False, True), ("0O17", False, True), ("08", False, False),
    ("0o17", False, False), ("1e3", False, False), (".5e3", False, False),
    ("1_000", False, False), ("2024-01-05", False, False), ("-0b11", False, False),
    ("0x_1F", False, False), ("+.5", False, False), ("true", False, False),
    ("yes please", True, True), ("1.2.3", True, True), ("10.0.0.0/16", True, True),
    ("v1", True, True), ("-", True, True), ("0x", True, True), ("1e", True, True),
])
def test_the_rule_tables(text: str, go: bool, y12: bool) -> None:
    assert goyaml_v2_is_string(text) is go
    assert yaml12_is_string(text) is y12


def _plain_candidates() -> list[str]:
    """Short number-like strings and words that mwgen writes as plain scalars."""
    alphabet = "019+-._eEoOxXbB:"
    short = [a + b + c for a in alphabet for b in alphabet + "" for c in ["", *alphabet]]
    words = ["y", "Yes", "oN", "nO", "TRUE", "tRue", "Null", "NULL", "nil", "none", "~x",
             ".Inf", ".iNf", "+.inf", "-.NAN", "Infinity", "NaN", "inf", "0x1p-2", "1_0",
             "1__", "0b1_0", "0o1_7", "1:2", "1:20:30", "2024-01-05", "2024-1-5",
             "2024-01-05T10:00:00Z", "1e+3", "1E-3", "1.e3", ".5E-3", "1." "5", "08.5",
             "0777", "0x_f", "00", "+0", "-0.0", "12e", "e12", "0e0", "1.0.0", "v1.0"]
    return [t for t in dict.fromkeys(short + words) if yaml_scalar(t) == t]


def test_every_string_written_plain_reads_back_in_every_reader() -> None:
    """The tables err towards quoting; this checks they never err the other way."""
    candidates = _plain_candidates()
    assert len(candidates) > 1000
    text = "".join(f"- {c}\n" for c in candidates)
    assert readers.pyyaml(text) == [candidates]
    assert readers.ruamel12(text) == [candidates]
    got = readers.goyaml(text)[0]
    assert [(c, g) for c, g in zip(candidates, got) if c != g] == []


def test_plain_strings_stay_plain() -> None:
    for text in ["api-gateway", "10.0.0.0/16", "1.25.3", "v1", "nginx:1.25", "yes-please"]:
        assert yaml_scalar(text) == text


@pytest.mark.parametrize("value, text", [
    (1e-05, "1.0e-05"), (1e-07, "1.0e-07"), (1.5e-07, "1.5e-07"), (1e20, "1.0e+20"),
    (0.5, "0.5"), (100.0, "100.0"), (-2.5e300, "-2.5e+300"), (float("inf"), ".inf"),
    (float("-inf"), "-.inf"),
])
def test_floats_are_written_as_floats_for_every_reader(value: float, text: str) -> None:
    assert yaml_float(value) == text
    assert yaml.safe_load(f"v: {text}")["v"] == value
    assert readers.ruamel12(f"v: {text}")[0]["v"] == value


def test_nan_round_trips_through_the_canonical_emitter() -> None:
    [back] = yaml.safe_load_all(dump_yaml([{"a": float("nan"), "b": 1e-05}]))
    assert math.isnan(back["a"]) and back["b"] == 1e-05


def test_to_yaml_and_values_write_small_floats(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"t.yaml.j2": "a:\n  {{ values.f | to_yaml | indent(2) }}\n"},
                        {"f": {"x": 1e-05, "y": "y"}})
    result = mwgen("--project", str(root), "render")
    assert result.exit_code == 0, result.stderr
    text = (root / "output" / "t.yaml").read_text()
    assert yaml.safe_load(text) == {"a": {"x": 1e-05, "y": "y"}}
    shown = mwgen("--project", str(root), "values", "dev/r1", "--set", "g=1.0e-07")
    assert shown.exit_code == 0, shown.stderr
    assert "g: 1.0e-07\n" in shown.stdout and "  x: 1.0e-05\n" in shown.stdout


def test_a_set_y_reaches_kubernetes_as_a_string(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"t.yaml.j2": "env:\n  - name: FLAG\n    value: "
                                                "{{ values.flag }}\n"}, {"flag": "x"})
    assert mwgen("--project", str(root), "render", "--set", "flag=y").exit_code == 0
    assert (root / "output" / "t.yaml").read_text().endswith('value: "y"\n')


@pytest.mark.parametrize("value", ["line\n", "\n", "two\n\n"])
def test_a_trailing_newline_is_kept_as_value_and_key(tmp_path: Path, value: str) -> None:
    text = render_one(tmp_path, "t.yaml.j2", "v: {{ values.s }}\n{{ values.s }}: 1\n",
                      {"s": value})
    assert yaml.safe_load(text) == {"v": value, value: 1}


@pytest.mark.parametrize("key", ["for", "in", "if", "endfor", "else", "endif", "true",
                                 "null"])
def test_hcl_keyword_keys_are_quoted(key: str) -> None:
    assert hcl_literal({key: 1, "plain": 2}) == f'{{\n  "{key}" = 1\n  plain = 2\n}}'


def test_terraform_reads_keyword_keys(tmp_path: Path) -> None:
    keys = ["for", "in", "if", "endfor", "else", "endif", "true", "null", "plain"]
    text = render_one(tmp_path, "main.tf.j2", "locals {\n  tags = {{ values.tags | hcl }}\n}\n",
                      {"tags": {k: k.upper() for k in keys}})
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(text)
    assert readers.terraform_console(tmp_path / "tf", "local.tags") == {
        k: k.upper() for k in keys}


@pytest.mark.parametrize("data", [["..."], [{"...": "..."}], [{"a": ["...", "---"]}]])
def test_document_markers_are_quoted_where_they_would_end_a_document(data: list) -> None:
    assert list(yaml.safe_load_all(dump_yaml(data))) == data
