"""mwgen.manifest: the committed manifest is untrusted input (every entry checked, a bad
one named at its line), written one line per file, and salvageable after a git conflict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mwgen.errors import OutputError
from mwgen.manifest import (
    MANIFEST,
    REBUILD,
    Manifest,
    entry_problem,
    scope_table_digest,
    sha256,
)

A = sha256(b"a")
B = sha256(b"b")


def entry(digest: str = A, template: str = "templates/x.yaml.j2", scope: str = "global"
          ) -> dict[str, str]:
    return {"sha256": digest, "template": template, "scope": scope}


def write(out: Path, text: str | bytes) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / MANIFEST
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return out


def lines_of(out: Path) -> list[str]:
    with pytest.raises(OutputError) as caught:
        Manifest.load(out)
    return caught.value.lines()


def test_sha256_is_the_hex_digest() -> None:
    assert sha256(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


@pytest.mark.parametrize("bad, reason", [
    ("x", "is not a mapping"),
    ({**entry(), "sha256": "ABC"}, "sha256 is not a sha256 hex digest"),
    ({**entry(), "sha256": A.upper()}, "sha256 is not a sha256 hex digest"),
    ({**entry(), "template": 3}, "template is not a string"),
    ({**entry(), "scope": "region:x"}, "scope is not global, env:ENV or target:ENV/REGION"),
    ({**entry(), "scope": "target:prod"}, "scope is not global, env:ENV or target:ENV/REGION"),
    ({**entry(), "scope": "env:a/b"}, "scope is not global, env:ENV or target:ENV/REGION"),
])
def test_entry_problem_names_what_is_wrong(bad: object, reason: str) -> None:
    assert entry_problem(bad) == reason


@pytest.mark.parametrize("scope", ["global", "env:prod", "target:prod/us-east-1"])
def test_entry_problem_accepts_each_scope_kind(scope: str) -> None:
    assert entry_problem(entry(scope=scope)) is None


def test_dump_is_one_sorted_line_per_file_and_loads_back(tmp_path: Path) -> None:
    manifest = Manifest(files={"b.yaml": entry(B, scope="env:dev"), "a.yaml": entry()})
    text = manifest.dump().decode()
    assert text.splitlines() == [
        "{", '"version": 2,', '"generator": "mwgen",', '"files": {',
        f'"a.yaml": {{"sha256": "{A}", "template": "templates/x.yaml.j2", "scope": "global"}},',
        f'"b.yaml": {{"sha256": "{B}", "template": "templates/x.yaml.j2", "scope": "env:dev"}}',
        "}", "}"]
    loaded = Manifest.load(write(tmp_path / "out", text))
    assert loaded.files == manifest.files and loaded.pending == {}
    assert loaded.line_of("a.yaml") == 5 and loaded.line_of("b.yaml") == 6
    assert loaded.dump() == manifest.dump()


def test_dump_orders_entry_keys_and_writes_pending_only_when_there_is_some() -> None:
    shuffled = {"scope": "global", "template": "t", "sha256": A}
    assert b'"pending"' not in Manifest(files={"a": shuffled}).dump()
    both = json.loads(Manifest(files={"a": shuffled}, pending={"a": entry(B)}).dump())
    assert list(both["files"]["a"]) == ["sha256", "template", "scope"]
    assert both["pending"] == {"a": entry(B)}
    assert Manifest().dump() == b'{\n"version": 2,\n"generator": "mwgen",\n"files": {\n}\n}\n'


def test_no_manifest_is_an_empty_one(tmp_path: Path) -> None:
    loaded = Manifest.load(tmp_path / "absent", "gen")
    assert loaded.files == {} and loaded.display == "gen"


def test_a_bad_entry_is_named_at_its_line_and_nothing_is_used(tmp_path: Path) -> None:
    good = Manifest(files={"a.yaml": entry(), "c.yaml": entry()}).dump().decode()
    bad = good.replace('"c.yaml"', '"../c.yaml"')
    assert lines_of(write(tmp_path / "out", bad)) == [
        'output/.mwgen-manifest.json:6: entry "../c.yaml": path leaves the output folder; '
        "mwgen uses nothing from this manifest (restore it from git, or run "
        f"`{REBUILD}`)"]


def test_a_manifest_on_one_line_still_locates_the_bad_entry(tmp_path: Path) -> None:
    text = json.dumps({"version": 2, "files": {"a": entry(), "b": {"sha256": "x"}}})
    (line,) = lines_of(write(tmp_path / "out", text))
    assert line.startswith('output/.mwgen-manifest.json:1: entry "b": sha256 is not')


def test_every_bad_entry_is_reported_together(tmp_path: Path) -> None:
    text = Manifest(files={"a": entry(), "b": entry()}, pending={"c": entry()}).dump().decode()
    text = text.replace('"global"', '"nope"')
    assert [line.split(": ")[1] for line in lines_of(write(tmp_path / "out", text))] == [
        'entry "a"', 'entry "b"', 'entry "c"']


def test_conflict_markers_name_the_recovery_command(tmp_path: Path) -> None:
    text = '{\n"version": 2,\n<<<<<<< HEAD\n"files": {}\n=======\n"files": {}\n>>>>>>> b\n}\n'
    assert lines_of(write(tmp_path / "out", text)) == [
        f"output/.mwgen-manifest.json:3: git merge conflict markers; run `{REBUILD}` to "
        "rebuild it from a full render"]


@pytest.mark.parametrize("text, message", [
    ('{"version": 2,\n  "files": }', "output/.mwgen-manifest.json:2:12: unreadable manifest "
                                     "(Expecting value)"),
    ('{"version": 9, "files": {}}', "output/.mwgen-manifest.json: not a mwgen manifest of a "
                                    "version this mwgen reads"),
    ('[]', "output/.mwgen-manifest.json: not a mwgen manifest"),
    ('{"version": 2, "files": []}', "output/.mwgen-manifest.json: 'files' is not a mapping"),
    (b'{"version": 2, "files": {"\xff": 1}}', "output/.mwgen-manifest.json: unreadable "
                                             "manifest (not UTF-8)"),
])
def test_unreadable_manifests_are_one_line(tmp_path: Path, text: str | bytes, message: str
                                           ) -> None:
    (line,) = lines_of(write(tmp_path / "out", text))
    assert line.startswith(message)


def test_version_1_is_still_read(tmp_path: Path) -> None:
    text = json.dumps({"version": 1, "files": {"a": entry()}})
    assert Manifest.load(write(tmp_path / "out", text)).files == {"a": entry()}


def test_extra_keys_of_an_entry_are_dropped(tmp_path: Path) -> None:
    text = json.dumps({"version": 2, "files": {"a": {**entry(), "mtime": 5}}})
    assert Manifest.load(write(tmp_path / "out", text)).files == {"a": entry()}


def test_a_symlinked_or_folder_manifest_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "real.json").write_text(Manifest().dump().decode())
    (out / MANIFEST).symlink_to(tmp_path / "real.json")
    assert lines_of(out) == ["output/.mwgen-manifest.json: is a symlink: mwgen never reads "
                             "through links"]
    (out / MANIFEST).unlink()
    (out / MANIFEST).mkdir()
    assert lines_of(out) == ["output/.mwgen-manifest.json: is a folder, not mwgen's manifest"]


def test_a_symlinked_output_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "out").symlink_to(tmp_path / "real")
    with pytest.raises(OutputError, match="^gen: is a symlink"):
        Manifest.load(tmp_path / "out", "gen")


def test_salvage_keeps_valid_entries_from_both_sides_of_a_conflict(tmp_path: Path) -> None:
    ours = f'"a": {json.dumps(entry(A))},'
    theirs = f'"a": {json.dumps(entry(B))},'
    text = "\n".join(["{", '"version": 2,', '"files": {', "<<<<<<< HEAD", ours,
                      f'"b": {json.dumps(entry())},', "=======", theirs,
                      f'"../evil": {json.dumps(entry())},', '"c": {"sha256": "short"},',
                      ">>>>>>> other", "}", "}", ""])
    salvaged = Manifest.salvage(write(tmp_path / "out", text))
    assert salvaged.files == {"a": entry(A), "b": entry()}
    assert salvaged.pending == {"a": entry(B)}
    assert salvaged.generated("a", A) and salvaged.generated("a", B)


def test_salvage_of_a_whole_manifest_and_of_nothing(tmp_path: Path) -> None:
    text = Manifest(files={"a": entry()}, pending={"a": entry(B), "x": entry()}).dump()
    salvaged = Manifest.salvage(write(tmp_path / "out", text))
    assert salvaged.files == {"a": entry(), "x": entry()} and salvaged.pending == {"a": entry(B)}
    assert Manifest.salvage(tmp_path / "absent").owned() == []


def test_questions_about_files_and_pending() -> None:
    m = Manifest(files={"a": entry(A), "b": entry(A)}, pending={"b": entry(B), "c": entry(B)})
    assert m.owned() == ["a", "b", "c"]
    assert m.owns("c") and not m.owns("d")
    assert m.entry("b") == entry(A) and m.entry("c") == entry(B)
    assert m.generated("b", A) and m.generated("b", B) and not m.generated("a", B)
    assert m.matching("b", b"b") == entry(B)  # the pending bytes are on disk
    assert m.matching("b", b"other") == entry(A)
    assert m.matching("b", None) == entry(A)
    assert m.line_of("a") == 0
    with pytest.raises(KeyError):
        m.entry("d")


def test_scope_table_digest_changes_only_with_that_scope() -> None:
    m = Manifest(files={"a": entry(scope="env:dev"), "b": entry(scope="global")})
    before = scope_table_digest(m, "env:dev")
    m.files["b"] = entry(B, scope="global")
    assert scope_table_digest(m, "env:dev") == before
    m.files["a"] = entry(B, scope="env:dev")
    assert scope_table_digest(m, "env:dev") != before
    assert scope_table_digest(m, "env:prod") == scope_table_digest(Manifest(), "env:prod")


@given(st.dictionaries(st.text(min_size=1), st.fixed_dictionaries(
    {"sha256": st.text(), "template": st.text(), "scope": st.text()}), max_size=5))
@settings(max_examples=300, deadline=None)
def test_each_row_is_what_json_dumps_writes(files: dict[str, dict[str, str]]) -> None:
    """Rows are written without a json.dumps call each (a 500-service render dumps
    48,000 of them twice), byte for byte as json.dumps would: any text, quotes,
    control characters, non-ASCII and lone surrogates included."""
    rows = Manifest(files=files).dump().decode("ascii").splitlines()[4:-2]
    ordered = {rel: {k: files[rel][k] for k in ("sha256", "template", "scope")} for rel in files}
    assert rows == [f"{json.dumps(rel)}: {json.dumps(ordered[rel])}"
                    + ("," if i < len(files) - 1 else "") for i, rel in enumerate(sorted(files))]
