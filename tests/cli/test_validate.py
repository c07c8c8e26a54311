"""``mwgen validate [FILE]...``: the merged values of the targets FILES feed, schema-checked;
problems as one located line each (text on stderr, JSON on stdout), exit 1 when any."""

from __future__ import annotations

import json

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
