"""mwgen.schema: $ref stays inside the project, patterns are time-limited, a missing
schema is an error unless the project opts out, and `validate FILE` refuses a file
that feeds no target."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import FIXTURES, copy_project, mwgen

MINI = FIXTURES / "mini"
REF = '"$ref"'


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    return copy_project(MINI, tmp_path / "mini")


def edit_schema(root: Path, change: Any) -> Path:
    path = root / "schemas/values.schema.json"
    schema = json.loads(path.read_text())
    change(schema)
    path.write_text(json.dumps(schema, indent=1) + "\n")
    return path


def located(path: Path, needle: str) -> str:
    """``line:col`` of the first ``needle`` in ``path``."""
    text = path.read_text()
    before = text[:text.index(needle)]
    return f"{before.count(chr(10)) + 1}:{len(before) - before.rfind(chr(10))}"


class _Counter(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        _Counter.hits.append(self.path)
        body = b'{"type": "string"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = HTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _Counter.hits = []
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


# -- $ref -----------------------------------------------------------------------------
def test_a_remote_ref_is_refused_and_never_fetched(mini: Path, server: str) -> None:
    ref = f"{server}/app.json"
    path = edit_schema(mini, lambda s: s["properties"].update(app={"$ref": ref}))
    result = mwgen("--project", str(mini), "validate")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"schemas/values.schema.json:{located(path, REF)}: $ref {ref!r} is outside the "
        "schema folder (mwgen resolves $ref only to files beside the schema and never fetches one)")
    assert _Counter.hits == []


@pytest.mark.parametrize("ref", ["file:///etc/passwd", "../../values/defaults.yaml",
                                 "https://example.invalid/x.json"])
def test_refs_leaving_the_folder_are_refused(mini: Path, ref: str) -> None:
    edit_schema(mini, lambda s: s["properties"].update(app={"$ref": ref}))
    result = mwgen("--project", str(mini), "validate")
    assert result.exit_code == 1 and "is outside the schema folder" in result.stderr


def test_a_ref_through_a_symlink_out_of_the_folder_is_refused(mini: Path, tmp_path: Path) -> None:
    (tmp_path / "outside.json").write_text('{"type": "object"}')
    (mini / "schemas/app.json").symlink_to(tmp_path / "outside.json")
    edit_schema(mini, lambda s: s["properties"].update(app={"$ref": "app.json"}))
    result = mwgen("--project", str(mini), "validate")
    assert result.exit_code == 1 and "is outside the schema folder" in result.stderr


def test_local_refs_resolve_beside_the_schema(mini: Path) -> None:
    (mini / "schemas/app.json").write_text(json.dumps({
        "type": "object", "additionalProperties": False,
        "properties": {"name": {"type": "string"}, "domain": {"type": "string"},
                       "note": {"$ref": "#/$defs/short"}},
        "$defs": {"short": {"type": "string", "maxLength": 5}}}))
    edit_schema(mini, lambda s: s["properties"].update(app={"$ref": "app.json"}))
    assert mwgen("--project", str(mini), "validate").exit_code == 0
    (mini / "values/defaults.yaml").write_text(
        (mini / "values/defaults.yaml").read_text().replace("note: plain", "note: too long"))
    result = mwgen("--project", str(mini), "validate")
    assert result.exit_code == 1
    assert "values/defaults.yaml:4:3: app.note: 'too long' is too long" in result.stderr


def test_refs_under_the_schemas_own_id_map_to_local_files(mini: Path) -> None:
    (mini / "schemas/app.json").write_text('{"type": "object"}')

    def change(schema: dict[str, Any]) -> None:
        schema["$id"] = "https://schemas.example.org/mini/values.schema.json"
        schema["properties"]["app"] = {"$ref": "https://schemas.example.org/mini/app.json"}

    edit_schema(mini, change)
    result = mwgen("--project", str(mini), "validate")
    assert result.exit_code == 0, result.stderr


def test_a_ref_to_a_missing_local_file_is_located(mini: Path) -> None:
    path = edit_schema(mini, lambda s: s["properties"].update(app={"$ref": "nope.json"}))
    result = mwgen("--project", str(mini), "validate")
    assert result.stderr.strip() == (f"schemas/values.schema.json:{located(path, REF)}: "
                                     "$ref 'nope.json' names no file in the schema folder")


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
