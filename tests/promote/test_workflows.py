"""The GitHub Actions workflows in .github/workflows are valid against the GitHub
workflow schema that check-jsonschema vendors (skipped when it is not installed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_workflow_is_valid(path: Path) -> None:
    builtin = pytest.importorskip("check_jsonschema.builtin_schemas")
    from jsonschema.validators import validator_for
    from ruamel.yaml import YAML

    schema = builtin.get_builtin_schema("vendor.github-workflows")
    workflow = YAML(typ="safe", pure=True).load(path.read_text())  # YAML 1.2: `on` is a key
    validator = validator_for(schema)(schema)
    errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
              for e in validator.iter_errors(workflow)]
    assert errors == []


def test_the_workflows_call_mwgen() -> None:
    text = {p.name: p.read_text() for p in WORKFLOWS}
    assert set(text) == {"ci.yml", "promote.yml"}
    for command in ("mwgen validate", "mwgen diff", "mwgen lint", "--format markdown"):
        assert command in text["ci.yml"]
    assert "mwgen promote" in text["promote.yml"] and "fetch-depth: 0" in text["promote.yml"]


def test_a_broken_workflow_is_caught() -> None:
    builtin = pytest.importorskip("check_jsonschema.builtin_schemas")
    from jsonschema.validators import validator_for

    schema = builtin.get_builtin_schema("vendor.github-workflows")
    broken = {"on": "push", "jobs": {"x": {"runs-on": "ubuntu-latest", "stepz": []}}}
    assert list(validator_for(schema)(schema).iter_errors(broken))
