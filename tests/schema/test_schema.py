"""mwgen.schema: patterns are time-limited, a missing schema is an error unless the
project opts out, and `validate FILE` refuses a file that feeds no target ($ref: test_refs.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import mwgen
from tests.schema.conftest import edit_schema


# -- patterns -------------------------------------------------------------------------
def test_a_catastrophic_pattern_is_a_located_error_not_a_hang(mini: Path) -> None:
    edit_schema(mini, lambda s: s["properties"]["app"]["properties"]["note"].update(
        pattern="^(a+)+$"))
    defaults = mini / "values/defaults.yaml"
    defaults.write_text(defaults.read_text().replace("note: plain", "note: " + "a" * 60000 + "!"))
    # In a subprocess with a deadline: before the fix this never returned.
    proc = subprocess.run([sys.executable, "-m", "mwgen", "--project", str(mini), "validate"],
                          capture_output=True, text=True, timeout=120,
                          env={"MWGEN_REGEX_SECONDS": "0.2", "PATH": "/usr/bin:/bin",
                               "XDG_CACHE_HOME": str(mini / ".cache")})
    assert proc.returncode == 1
    assert proc.stderr.startswith("values/defaults.yaml:4:3: app.note: pattern '^(a+)+$' did not "
                                  "finish within 0.2 s on this value"), proc.stderr
    assert "Traceback" not in proc.stderr


def test_pattern_properties_still_work(mini: Path) -> None:
    def change(schema: dict[str, Any]) -> None:
        schema["properties"]["network"] = {"type": "object", "additionalProperties": False,
                                           "patternProperties": {"^ci": {"type": "string"}}}

    edit_schema(mini, change)
    assert mwgen("--project", str(mini), "validate").exit_code == 0
    defaults = mini / "values/defaults.yaml"
    defaults.write_text(defaults.read_text().replace("cidr:", "dcir:"))
    result = mwgen("--project", str(mini), "validate")
    assert result.exit_code == 1 and "unknown key 'dcir'" in result.stderr


# -- missing schema -------------------------------------------------------------------
def test_a_missing_schema_is_an_error(mini: Path) -> None:
    (mini / "schemas/values.schema.json").rename(mini / "schemas/values.json")
    for command in ("validate", "render"):
        result = mwgen("--project", str(mini), command)
        assert result.exit_code == 1
        assert result.stderr.strip() == (
            "schemas/values.schema.json: values schema not found: create it, or set "
            "`schema: false` in mwgen.yaml to validate nothing but YAML and secrets")
    assert not (mini / "output").exists()


def test_opting_out_of_a_schema_is_explicit_and_said(mini: Path) -> None:
    (mini / "schemas/values.schema.json").unlink()
    (mini / "mwgen.yaml").write_text("schema: false\n")
    result = mwgen("--project", str(mini), "validate")
    assert result.exit_code == 0
    assert "no values schema (schema: false in mwgen.yaml)" in result.stdout


def test_the_configured_schema_path_is_used(mini: Path) -> None:
    (mini / "schemas/values.schema.json").rename(mini / "schemas/other.json")
    (mini / "mwgen.yaml").write_text("schema: schemas/other.json\n")
    assert mwgen("--project", str(mini), "validate").exit_code == 0
    edit = json.loads((mini / "schemas/other.json").read_text())
    edit["properties"]["services"]["maxProperties"] = 1
    (mini / "schemas/other.json").write_text(json.dumps(edit))
    assert mwgen("--project", str(mini), "validate").exit_code == 1


# -- validate FILE --------------------------------------------------------------------
@pytest.mark.parametrize("rel, why", [
    ("values/targets/prd/r1.yaml", "feeds no target: there is no environment 'prd' (dev, prod)"),
    ("values/targets/dev/r9.yaml", "feeds no target: environment 'dev' does not list region 'r9'"),
    ("values/regions/r9.yaml", "feeds no target: no environment lists region 'r9'"),
    ("values/misc.yaml", "feeds no target (value files are values/defaults.yaml, "
                         "values/environments/ENV.yaml, values/regions/REGION.yaml, "
                         "values/targets/ENV/REGION.yaml)"),
])
def test_validate_refuses_a_file_that_feeds_no_target(mini: Path, rel: str, why: str) -> None:
    path = mini / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("app:\n  note: x\n")
    result = mwgen("--project", str(mini), "validate", str(path))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{rel}: {why}"


def test_validate_of_a_file_that_feeds_targets_checks_them(mini: Path) -> None:
    result = mwgen("--project", str(mini), "validate", str(mini / "values/regions/r1.yaml"))
    assert result.exit_code == 0, result.stderr
