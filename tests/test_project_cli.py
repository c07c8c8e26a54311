"""Targets, values, validate: library and CLI, exit codes and error lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mwgen.project import load_project
from tests.helpers import FIXTURES, ROOT, copy_project, mwgen

MINI = FIXTURES / "mini"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    return copy_project(MINI, tmp_path / "mini")


def test_targets_in_env_then_listed_region_order():
    result = mwgen("--project", str(MINI), "targets")
    assert result.exit_code == 0
    assert result.stdout.split() == ["dev/r1", "prod/r1", "prod/r2"]
    data = json.loads(mwgen("--project", str(MINI), "targets", "--format", "json").stdout)
    assert data[2] == {"name": "prod/r2", "env": "prod", "region": "r2"}


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


def test_search_upward_from_a_subfolder(monkeypatch):
    monkeypatch.chdir(MINI / "templates" / "_lib")
    assert mwgen("targets").exit_code == 0


def test_no_project_is_exit_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = mwgen("targets")
    assert result.exit_code == 2
    assert "no project found" in result.stderr


def test_unknown_target_is_exit_2():
    result = mwgen("--project", str(MINI), "values", "prod/r9")
    assert result.exit_code == 2
    assert "unknown target 'prod/r9'" in result.stderr


def test_validate_ok_and_error_format(mini):
    assert mwgen("--project", str(mini), "validate").exit_code == 0
    path = mini / "values/environments/prod.yaml"
    path.write_text(path.read_text().replace("replicas: 3", "replicas: three\n    prots: 1"))
    result = mwgen("--project", str(mini), "validate")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert ("values/environments/prod.yaml:6:5: services.web.replicas: 'three' is not of type "
            "'integer' (prod/r1)") in lines
    assert ("values/environments/prod.yaml:7:5: services.web.prots: unknown key 'prots' "
            "(did you mean 'port'?) (prod/r1, prod/r2)") in lines
    data = json.loads(mwgen("--project", str(mini), "validate", "--format", "json").stdout)
    assert not data["ok"] and len(data["problems"]) == 2


def test_validate_with_files_checks_only_fed_targets(mini, monkeypatch):
    (mini / "values/environments/dev.yaml").write_text(
        "environment:\n  name: dev\n  regions: [r1]\nservices:\n  web: {replicas: -1}\n")
    monkeypatch.chdir(mini)
    assert mwgen("validate", "values/regions/r2.yaml").exit_code == 0
    result = mwgen("validate", "values/regions/r1.yaml")
    assert result.exit_code == 1 and "(dev/r1)" in result.stderr
    assert mwgen("validate", "values/environments/dev.yaml").exit_code == 1


def test_broken_yaml_is_one_line_exit_1(mini):
    (mini / "values/regions/r1.yaml").write_text("region:\n  name: r1\n  name: r2\n")
    result = mwgen("--project", str(mini), "validate")
    assert result.exit_code == 1
    assert result.stderr.strip() == ("values/regions/r1.yaml:3:3: duplicate key 'name' "
                                     "(first at line 2)")


def test_region_without_file(mini):
    (mini / "values/environments/dev.yaml").write_text(
        "environment:\n  name: dev\n  regions: [r1, ap-south-9]\n")
    result = mwgen("--project", str(mini), "targets")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "values/environments/dev.yaml:3:17: environment.regions[1]: region 'ap-south-9' has "
        "no values file values/regions/ap-south-9.yaml")


def test_literal_secret_is_refused(mini):
    (mini / "values/regions/r2.yaml").write_text(
        "region:\n  name: r2\napp:\n  db_password: hunter2\n")
    result = mwgen("--project", str(mini), "validate")
    assert result.exit_code == 1
    assert "values/regions/r2.yaml:4:3: app.db_password: [literal-secret]" in result.stderr


def test_bundled_project_validates():
    result = mwgen("--project", str(ROOT), "validate")
    assert result.exit_code == 0, result.stderr
    assert mwgen("--project", str(ROOT), "targets").stdout.split() == [
        "dev/us-east-1", "production/us-east-1", "production/us-west-2",
        "production/eu-west-1", "staging/us-east-1", "staging/eu-west-1"]


def test_schema_with_a_dangling_ref_is_one_line(mini):
    path = mini / "schemas/values.schema.json"
    schema = json.loads(path.read_text())
    schema["properties"]["app"] = {"$ref": "#/$defs/nope"}
    text = json.dumps(schema, indent=1)
    path.write_text(text)
    result = mwgen("--project", str(mini), "validate")
    assert result.exit_code == 1
    before = text[:text.index('"$ref": "#/$defs/nope"')]
    line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
    assert result.stderr.strip() == (f"schemas/values.schema.json:{line}:{column}: "
                                     "$ref '#/$defs/nope' cannot be resolved")


def test_a_bug_is_one_line_and_exit_2_unless_debugging(monkeypatch):
    def boom(self):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("mwgen.project.Project.targets", boom)
    result = mwgen("--project", str(MINI), "targets")
    assert result.exit_code == 2
    assert result.stderr == ("mwgen: internal error: ZeroDivisionError: boom (a bug in mwgen; "
                             "run with MWGEN_DEBUG=1 for the traceback)\n")
    monkeypatch.setenv("MWGEN_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        mwgen("--project", str(MINI), "targets")


def test_messages_about_big_values_stay_one_short_line(mini):
    path = mini / "schemas/values.schema.json"
    schema = json.loads(path.read_text())
    schema["properties"]["services"]["maxProperties"] = 1
    path.write_text(json.dumps(schema))
    [line] = mwgen("--project", str(mini), "validate").stderr.splitlines()[:1]
    assert line.startswith("values/defaults.yaml:12:1: services: {'web': {'image'")
    assert line.endswith("... has too many properties (dev/r1)") and len(line) < 160
