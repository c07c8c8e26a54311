"""``mwgen validate [FILE]...``: the merged values of the targets FILES feed, schema-checked;
problems as one located line each (text on stderr, JSON on stdout), exit 1 when any."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mwgen.project import load_project
from tests.helpers import ROOT, mwgen


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


def test_messages_about_big_values_stay_one_short_line(mini):
    path = mini / "schemas/values.schema.json"
    schema = json.loads(path.read_text())
    schema["properties"]["services"]["maxProperties"] = 1
    path.write_text(json.dumps(schema))
    [line] = mwgen("--project", str(mini), "validate").stderr.splitlines()[:1]
    assert line.startswith("values/defaults.yaml:12:1: services: {'web': {'image'")
    assert line.endswith("... has too many properties (dev/r1)") and len(line) < 160


def test_a_clean_project_prints_the_summary_on_stdout(mini: Path) -> None:
    result = mwgen("--project", str(mini), "validate")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, "3 target(s) checked, 0 problem(s)\n", "")
    as_json = mwgen("--project", str(mini), "validate", "--format", "json")
    assert (as_json.exit_code, json.loads(as_json.stdout)) == (0, {"ok": True, "problems": []})


def test_problems_are_the_librarys_and_the_summary_goes_to_stderr(mini: Path) -> None:
    """Thin: the command reports what Project.validate finds, once each."""
    path = mini / "values/targets/prod/r2.yaml"
    path.write_text(path.read_text().replace("replicas: 5", "replicas: many"))
    project = load_project(mini, search=False)
    expected = project.validate(project.targets())
    assert len(expected) == 1
    text = mwgen("--project", str(mini), "validate")
    assert text.exit_code == 1 and text.stdout == ""
    assert text.stderr == f"{expected[0].format()}\n3 target(s) checked, 1 problem(s)\n"
    data = json.loads(mwgen("--project", str(mini), "validate", "--format", "json").stdout)
    assert data == {"ok": False, "problems": [p.to_json() for p in expected]}


def test_a_values_file_that_feeds_no_target_is_still_read(mini: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(mini)
    Path("stray.yaml").write_text("a: [1\n")
    broken = mwgen("validate", "stray.yaml")
    assert broken.exit_code == 1
    assert broken.stderr.splitlines() == [
        "stray.yaml:2:1: invalid YAML: while parsing a flow sequence: did not find expected "
        "',' or ']'"]
    Path("stray.yaml").write_text("a: 1\n")
    fine = mwgen("validate", "stray.yaml")
    assert fine.exit_code == 1
    assert fine.stderr.startswith("stray.yaml: feeds no target (value files are "
                                  "values/defaults.yaml, ")


def test_without_a_schema_the_summary_says_what_was_checked(mini: Path) -> None:
    (mini / "mwgen.yaml").write_text("schema: false\n")
    result = mwgen("--project", str(mini), "validate")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ("3 target(s) checked, 0 problem(s) (no values schema (schema: "
                             "false in mwgen.yaml): only YAML and secrets checked)\n")
