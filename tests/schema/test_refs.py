"""mwgen.schema.refs: a $ref resolves only to a file beside the schema, never over the
network, and a refused one is located at the $ref that wrote it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest

from mwgen.errors import InputError
from mwgen.schema.refs import LocalRefs
from tests.helpers import mwgen
from tests.schema.conftest import edit_schema, located

REF = '"$ref"'


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


# -- LocalRefs, as a library ------------------------------------------------------------
def local(folder: Path, schema: dict[str, Any], files: dict[str, Any] | None = None,
          display: str = "schemas/values.schema.json") -> tuple[LocalRefs, str]:
    """LocalRefs of ``folder/values.schema.json`` holding ``schema`` (and its JSON text)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in (files or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(content if isinstance(content, str) else json.dumps(content))
    text = json.dumps(schema, indent=1)
    (folder / "values.schema.json").write_text(text)
    return LocalRefs(folder / "values.schema.json", schema, display), text


def test_local_file_maps_relative_and_id_uris_into_the_folder(tmp_path: Path) -> None:
    refs, _ = local(tmp_path / "s", {"$id": "https://example.org/s/values.schema.json"})
    folder = (tmp_path / "s").resolve()
    assert refs.local_file("https://example.org/s/common.json") == folder / "common.json"
    assert refs.local_file("https://example.org/s/sub/a%20b.json") == folder / "sub" / "a b.json"
    assert refs.local_file(folder.as_uri() + "/common.json") == folder / "common.json"
    for outside in ("https://example.org/other/common.json", "https://evil.example/s/x.json",
                    "https://example.org/s/", "https://example.org/s/../x.json",
                    (tmp_path / "x.json").resolve().as_uri()):
        assert refs.local_file(outside) is None, outside


def test_without_an_id_the_base_is_the_file_itself(tmp_path: Path) -> None:
    refs, _ = local(tmp_path / "s", {"type": "object"})
    assert refs.base == (tmp_path / "s" / "values.schema.json").resolve().as_uri()
    assert refs.local_file("https://example.org/s/common.json") is None


def test_a_symlink_out_of_the_folder_maps_to_nothing(tmp_path: Path) -> None:
    (tmp_path / "outside.json").write_text("{}")
    refs, _ = local(tmp_path / "s", {})
    (tmp_path / "s" / "link.json").symlink_to(tmp_path / "outside.json")
    assert refs.local_file(refs.id_folder + "link.json") is None


def test_check_all_accepts_pointers_files_and_data_that_looks_like_a_ref(tmp_path: Path) -> None:
    schema = {"$defs": {"n": {"type": "integer"}},
              "properties": {"a": {"$ref": "#/$defs/n"}, "b": {"$ref": "common.json#/$defs/s"},
                             "c": {"$ref": "common.json"}, "d": {"$ref": "#"},
                             "e": {"const": {"$ref": "nowhere.json"}},
                             "f": {"examples": [{"$ref": "#/missing"}]}}}
    refs, text = local(tmp_path / "s", schema, {"common.json": {"$defs": {"s": {}}}})
    refs.check_all(schema, text)  # no error: data keywords hold values, not subschemas


def test_an_unresolvable_pointer_is_located_at_its_ref(tmp_path: Path) -> None:
    schema = {"properties": {"a": {"$ref": "#/$defs/missing"}}}
    refs, text = local(tmp_path / "s", schema)
    with pytest.raises(InputError) as caught:
        refs.check_all(schema, text)
    assert caught.value.lines() == ["schemas/values.schema.json:4:4: "
                                    "$ref '#/$defs/missing' cannot be resolved"]


def test_refs_in_a_reached_file_are_checked_and_located_in_that_file(tmp_path: Path) -> None:
    schema = {"properties": {"a": {"$ref": "common.json"}, "b": {"$ref": "common.json"}}}
    common = '{\n  "items": [\n    {"$ref": "https://elsewhere.example/x.json"}\n  ]\n}\n'
    refs, text = local(tmp_path / "s", schema, {"common.json": common})
    with pytest.raises(InputError) as caught:
        refs.check_all(schema, text)
    (line,) = caught.value.lines()
    assert line.startswith("schemas/common.json:3:6: $ref 'https://elsewhere.example/x.json' "
                           "is outside the schema folder")


def test_a_pointer_into_a_reached_file_is_checked_against_that_file(tmp_path: Path) -> None:
    schema = {"$ref": "common.json"}
    common = '{"$defs": {"a": {"items": [1]}},\n "x": {"$ref": "#/$defs/a/items/1"}}'
    refs, text = local(tmp_path / "s", schema, {"common.json": common})
    with pytest.raises(InputError, match="cannot be resolved") as caught:
        refs.check_all(schema, text)
    assert caught.value.lines()[0].startswith("schemas/common.json:2:8: ")


def test_a_local_file_that_is_not_json_is_located(tmp_path: Path) -> None:
    schema = {"$ref": "common.json"}
    refs, text = local(tmp_path / "s", schema, {"common.json": '{\n  "type": }\n'})
    with pytest.raises(InputError) as caught:
        refs.check_all(schema, text)
    assert caught.value.lines() == ["schemas/common.json:2:11: invalid JSON: Expecting value"]


def test_display_without_a_folder_names_the_file_alone(tmp_path: Path) -> None:
    refs, text = local(tmp_path / "s", {"$ref": "c.json"}, {"c.json": "nope"},
                       display="values.schema.json")
    with pytest.raises(InputError) as caught:
        refs.check_all({"$ref": "c.json"}, text)
    assert caught.value.file == "c.json"


def test_the_registry_retrieves_local_files_only(tmp_path: Path) -> None:
    from referencing.exceptions import NoSuchResource, Unretrievable

    refs, _ = local(tmp_path / "s", {"$id": "https://example.org/s/values.schema.json"},
                    {"common.json": {"type": "string"}})
    registry = refs.registry()
    assert registry.get_or_retrieve("https://example.org/s/common.json").value.contents == {
        "type": "string"}
    for uri in ("https://example.org/s/absent.json", "https://example.org/elsewhere.json"):
        with pytest.raises((NoSuchResource, Unretrievable)):
            registry.get_or_retrieve(uri)
