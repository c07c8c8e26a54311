"""``mwgen targets``: the ENV/REGION list, as text or JSON, in the project's order."""

from __future__ import annotations

import json
from pathlib import Path

from mwgen.project import load_project
from tests.helpers import FIXTURES, ROOT, mwgen

MINI = FIXTURES / "mini"


def test_targets_in_env_then_listed_region_order():
    result = mwgen("--project", str(MINI), "targets")
    assert result.exit_code == 0
    assert result.stdout.split() == ["dev/r1", "prod/r1", "prod/r2"]
    data = json.loads(mwgen("--project", str(MINI), "targets", "--format", "json").stdout)
    assert data[2] == {"name": "prod/r2", "env": "prod", "region": "r2"}


def test_region_without_file(mini):
    (mini / "values/environments/dev.yaml").write_text(
        "environment:\n  name: dev\n  regions: [r1, ap-south-9]\n")
    result = mwgen("--project", str(mini), "targets")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "values/environments/dev.yaml:3:17: environment.regions[1]: region 'ap-south-9' has "
        "no values file values/regions/ap-south-9.yaml")


def test_text_and_json_list_what_the_library_lists() -> None:
    """The command is thin: the same targets, in the same order, as Project.targets()."""
    expected = load_project(ROOT, search=False).targets()
    assert len(expected) > 3
    text = mwgen("--project", str(ROOT), "targets")
    assert text.exit_code == 0 and text.stderr == ""
    assert text.stdout.splitlines() == [t.name for t in expected]
    data = json.loads(mwgen("--project", str(ROOT), "targets", "--format", "json").stdout)
    assert data == [{"name": t.name, "env": t.env, "region": t.region} for t in expected]


def test_a_project_without_environments_lists_nothing(tmp_path: Path) -> None:
    (tmp_path / "values").mkdir()
    (tmp_path / "values" / "defaults.yaml").write_text("app: {}\n")
    text = mwgen("--project", str(tmp_path), "targets")
    assert (text.exit_code, text.stdout, text.stderr) == (0, "", "")
    data = mwgen("--project", str(tmp_path), "targets", "--format", "json")
    assert (data.exit_code, json.loads(data.stdout)) == (0, [])


def test_regions_that_are_not_a_list_are_one_located_line(mini: Path) -> None:
    (mini / "values/environments/dev.yaml").write_text(
        "environment:\n  name: dev\n  regions: r1\n")
    for fmt in ("text", "json"):
        result = mwgen("--project", str(mini), "targets", "--format", fmt)
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == ("values/environments/dev.yaml:3:3: environment.regions: an "
                                 "environment must list its regions (a non-empty list)\n")
