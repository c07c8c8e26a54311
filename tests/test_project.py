"""The project (mwgen.project), as a library: targets, -t globs, layers."""

from __future__ import annotations

import pytest

from mwgen.errors import InputError, UsageError, YAMLInputError
from mwgen.project import load_project, target_matches
from tests.helpers import FIXTURES, copy_project

MINI = FIXTURES / "mini"


@pytest.mark.parametrize("name, patterns, expected", [
    ("prod/r1", ["prod/*"], True),
    ("prod/r1", ["*/r1"], True),
    ("prod/r1", ["*"], True),            # '*' crosses the '/'
    ("prod/r1", ["Prod/*"], False),      # case-sensitive on every platform
    ("prod/r1", ["dev/*", "prod/r?"], True),
    ("prod/r1", [], False),
])
def test_target_matches(name: str, patterns: list[str], expected: bool) -> None:
    assert target_matches(name, patterns) is expected


def test_select_keeps_the_projects_order_and_reports_a_pattern_matching_nothing() -> None:
    project = load_project(MINI, search=False)
    assert [t.name for t in project.select(["*/r2", "prod/*"])] == ["prod/r1", "prod/r2"]
    assert [t.name for t in project.select([])] == ["dev/r1", "prod/r1", "prod/r2"]
    with pytest.raises(UsageError, match=r"no target matches 'qa/\*' \(targets: dev/r1, "):
        project.select(["qa/*"])


def test_target_names_one_existing_target() -> None:
    project = load_project(MINI, search=False)
    assert project.target("prod/r2").region == "r2"
    with pytest.raises(UsageError, match="unknown target 'prod'"):
        project.target("prod")


def test_a_bad_values_file_is_a_located_input_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    root = copy_project(MINI, tmp_path / "mini")
    (root / "values" / "defaults.yaml").write_text("a: 1\na: 2\n")
    project = load_project(root, search=False)
    with pytest.raises(InputError) as caught:
        project.values("prod/r1")
    assert isinstance(caught.value, YAMLInputError)
    assert caught.value.lines() == ["values/defaults.yaml:2:1: duplicate key 'a' (first at line 1)"]
