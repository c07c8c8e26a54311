"""``mwgen values TARGET|ENV``: the merged values as YAML or JSON, ``--explain`` origins,
``-f``/``--set`` layers, and the exit-2 line for an unknown target or environment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from mwgen.project import load_project
from tests.helpers import FIXTURES, mwgen

MINI = FIXTURES / "mini"


def test_values_layering_and_explain():
    project = load_project(MINI, search=False)
    merged = project.values("prod/r2")
    assert merged.data["services"] == {"web": {"image": "example/web", "tag": "1.0",
                                               "replicas": 5, "port": 8080}}
    out = mwgen("--project", str(MINI), "values", "prod/r2", "--explain").stdout
    line = next(l for l in out.splitlines() if l.startswith("services.web.replicas"))
    assert line.endswith("# values/targets/prod/r2.yaml:3:5")


def test_values_set_and_json():
    out = mwgen("--project", str(MINI), "values", "dev/r1", "--format", "json",
                "--set", "services.web.replicas=7").stdout
    assert json.loads(out)["services"]["web"]["replicas"] == 7


def test_unknown_target_is_exit_2():
    result = mwgen("--project", str(MINI), "values", "prod/r9")
    assert result.exit_code == 2
    assert "unknown target 'prod/r9'" in result.stderr


def test_values_of_an_environment(mini_cwd: Path) -> None:
    result = mwgen("values", "prod", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["environment"]["name"] == "prod" and data["region"] == {"name": ""}
    assert list(data["services"]) == ["web"] and data["services"]["web"]["replicas"] == 3
    explained = mwgen("values", "prod", "--explain")
    line = next(x for x in explained.stdout.splitlines() if x.startswith("services.web.replicas"))
    assert line.endswith("  3  # values/environments/prod.yaml:6:5")


def test_values_of_an_unknown_environment(mini_cwd: Path) -> None:
    result = mwgen("values", "production")
    assert result.exit_code == 2
    assert result.stderr == ("mwgen: unknown environment 'production' (environments: dev, prod; "
                             "a target is ENV/REGION)\n")


def test_yaml_and_json_print_the_librarys_merge() -> None:
    """Thin: both formats are Project.values(target).data, nothing added or dropped."""
    expected = load_project(MINI, search=False).values("prod/r2").data
    as_json = mwgen("--project", str(MINI), "values", "prod/r2", "--format", "json")
    as_yaml = mwgen("--project", str(MINI), "values", "prod/r2")
    assert (as_json.exit_code, as_yaml.exit_code) == (0, 0)
    assert json.loads(as_json.stdout) == expected
    assert yaml.safe_load(as_yaml.stdout) == expected
    assert as_yaml.stdout.startswith("app:\n  name: mini\n")


def test_explain_as_json_names_each_leafs_origin() -> None:
    result = mwgen("--project", str(MINI), "values", "prod/r2", "--explain", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = {row["path"]: row for row in json.loads(result.stdout)}
    assert rows["services.web.replicas"] == {"path": "services.web.replicas", "value": 5,
                                             "origin": "values/targets/prod/r2.yaml:3:5"}
    assert rows["app.name"]["origin"] == "values/defaults.yaml:2:3"


def test_a_values_file_is_layered_and_explained(tmp_path: Path) -> None:
    extra = tmp_path / "extra.yaml"
    extra.write_text("services:\n  web:\n    replicas: 11\n")
    result = mwgen("--project", str(MINI), "values", "dev/r1", "-f", str(extra), "--explain")
    assert result.exit_code == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("services.web.replicas"))
    assert line.endswith(f"  11  # {extra}:3:5")


@pytest.mark.parametrize(("args", "code", "stderr"), [
    (["--set", "nokey"], 2, "--set 'nokey': expected KEY=VALUE (for example "
                            "services.api-gateway.replicas=5)\n"),
    (["-f", "missing.yaml"], 1, "missing.yaml: file not found\n"),
])
def test_bad_command_line_layers_are_one_line(mini_cwd: Path, args: list[str], code: int,
                                              stderr: str) -> None:
    result = mwgen("values", "dev/r1", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (code, "", stderr)
