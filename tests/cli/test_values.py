"""``mwgen values TARGET|ENV``: the merged values as YAML or JSON, ``--explain`` origins,
``-f``/``--set`` layers, and the exit-2 line for an unknown target or environment."""

from __future__ import annotations

import json
from pathlib import Path

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
