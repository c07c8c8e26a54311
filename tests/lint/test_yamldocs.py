"""Lint's documents with positions (mwgen.lint.yamldocs), read by mwgen's one YAML
loader (mwgen.yamlio.compose_all)."""

from __future__ import annotations

from pathlib import Path

from mwgen.lint import project_kubernetes_version
from mwgen.lint.yamldocs import load_json, load_yaml


def test_every_duplicate_key_is_a_finding_and_the_document_is_still_checked() -> None:
    result = load_yaml("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n---\nkind: X\n")
    assert result.errors == [(4, 3, "duplicate key 'c' (first at line 3)"),
                             (5, 1, "duplicate key 'a' (first at line 1)")]
    assert [d.data for d in result.docs] == [{"a": 3, "b": {"c": 2}}, {"kind": "X"}]
    assert [d.index for d in result.docs] == [0, 1]
    assert result.docs[1].line == 7


def test_positions_follow_a_path_to_the_deepest_node_that_exists() -> None:
    doc = load_yaml("spec:\n  ports:\n    - port: 80\n").docs[0]
    assert doc.position(("spec", "ports", 0, "port")) == (3, 13)
    assert doc.position(("spec", "ports", 0, "port"), key=True) == (3, 7)
    assert doc.position(("spec", "missing", "x")) == (2, 3)


def test_a_syntax_error_is_one_finding_with_the_loaders_wording() -> None:
    result = load_yaml("a: [1,\n", line_offset=10)
    assert result.docs == []
    [(line, _column, message)] = result.errors
    assert line == 12 and message.startswith("invalid YAML: ")


def test_dates_stay_text_as_in_values() -> None:
    """The one loader keeps timestamps as written: a Kubernetes string field holding a
    date is a string, not a datetime the schema would refuse."""
    assert load_yaml("when: 2024-01-02\n").docs[0].data == {"when": "2024-01-02"}


def test_json_positions_come_from_the_same_loader() -> None:
    result = load_json('{\n  "panels": [\n    {"id": 1}\n  ]\n}\n', line_offset=5)
    assert result.errors == []
    assert result.docs[0].position(("panels", 0, "id")) == (8, 0)  # embedded: no column
    bad = load_json('{"a": }', line_offset=2)
    assert bad.docs == [] and bad.errors[0][0] == 3


def test_kubernetes_version_is_read_as_written(tmp_path: Path) -> None:
    (tmp_path / "values").mkdir()
    (tmp_path / "values" / "defaults.yaml").write_text("kubernetes:\n  version: 1.20\n")
    assert project_kubernetes_version(tmp_path) == "1.20"
    (tmp_path / "values" / "defaults.yaml").write_text("kubernetes:\n  version: [1]\n")
    assert project_kubernetes_version(tmp_path) == "1.30"  # the default
    (tmp_path / "values" / "defaults.yaml").write_text("kubernetes: {version: '1.29'}\n")
    assert project_kubernetes_version(tmp_path) == "1.29"
