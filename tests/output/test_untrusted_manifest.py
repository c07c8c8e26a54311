"""Issue 12, items 1 and 2: the manifest and output/ are untrusted input.

Whatever the committed manifest or the symlinks inside output/ say, no command
(render, diff, diff --quick, lint) reads, writes or deletes a path outside output/.
A bad manifest entry is one located error naming it (exit 1), and nothing is touched.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from tests.helpers import mwgen, tree_hashes

MANIFEST = "output/.mwgen-manifest.json"
COMMANDS = [("render",), ("diff",), ("diff", "--quick"), ("lint",)]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def add_entry(root: Path, rel: str, digest: str) -> None:
    """The issue's recipe: an entry recording the victim's own hash."""
    path = root / MANIFEST
    data = json.loads(path.read_text())
    data["files"][rel] = {"sha256": digest, "template": "templates/summary.json.j2",
                          "scope": "global"}
    data["inputs"] = {}
    path.write_text(json.dumps(data))


def run(root: Path, *args: str):
    return mwgen("--project", str(root), *args)


def test_the_issue_recipe_no_longer_deletes_values(mini):
    victim = mini / "values/defaults.yaml"
    add_entry(mini, "../values/defaults.yaml", sha(victim))
    before = tree_hashes(mini / "output")
    result = run(mini, "render", "--set", "app.note=changed")
    assert result.exit_code == 1
    assert result.stderr == (
        'output/.mwgen-manifest.json:1: entry "../values/defaults.yaml": path leaves the '
        "output folder; mwgen uses nothing from this manifest (restore it from git, or run "
        "`mwgen render --rebuild-manifest`)\n")
    assert victim.exists() and tree_hashes(mini / "output") == before


def _plant(kind: str, root: Path) -> str:
    """Plant one kind of escape; returns what the one error line must name."""
    outside = root.parent / "outside"
    victim = outside / "precious.txt"
    if kind == "dotdot":
        add_entry(root, "../../outside/precious.txt", sha(victim))
        return '"../../outside/precious.txt": path leaves the output folder'
    if kind == "absolute":
        add_entry(root, str(victim), sha(victim))
        return f'"{victim}": path leaves the output folder'
    if kind == "link-folder":
        (root / "output/link").symlink_to(outside)
        add_entry(root, "link/precious.txt", sha(victim))
        return '"link/precious.txt": output/link: is a symlink'
    if kind == "link-file":
        target = root / "output/dev/r1/config.yaml"
        target.unlink()
        target.symlink_to(victim)
        return "output/dev/r1/config.yaml"
    if kind == "link-stale":  # a generated file no longer produced, now a link
        (root / "output/old.yaml").symlink_to(victim)
        add_entry(root, "old.yaml", sha(victim))
        return "output/old.yaml: is a symlink"
    if kind == "link-manifest":  # the manifest itself, pointing at a copy outside
        manifest = root / MANIFEST
        copy = outside / "manifest.json"
        copy.write_bytes(manifest.read_bytes())
        manifest.unlink()
        manifest.symlink_to(copy)
        return "output/.mwgen-manifest.json: is a symlink: mwgen never reads through links"
    raise AssertionError(kind)


KINDS = ["dotdot", "absolute", "link-folder", "link-file", "link-stale", "link-manifest"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_command_reaches_outside_output(mini, spy, kind, args):
    named = _plant(kind, mini)
    outside = mini.parent / "outside"
    before, outside_before = tree_hashes(mini / "output"), tree_hashes(outside)
    # A change of inputs, so render has writing to do and --quick cannot shortcut.
    extra = ("--set", "app.note=changed") if args[0] != "lint" else ()
    spy.seen.clear()
    result = run(mini, *args, *extra)
    assert spy.seen == [], f"{args} read {spy.seen}"
    assert "Traceback" not in result.stdout + result.stderr
    assert tree_hashes(outside) == outside_before
    assert tree_hashes(mini / "output") == before
    if args[0] == "lint" and kind in ("link-folder", "link-file", "link-stale"):
        return  # lint takes no path from the manifest and skips links: nothing to report
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and named in lines[0], result.stderr


@pytest.mark.parametrize("entry,reason", [
    ("not a mapping", '"a.yaml": is not a mapping'),
    ({"sha256": 5, "template": "t", "scope": "global"}, "sha256 is not a sha256 hex digest"),
    ({"sha256": "0" * 64, "template": None, "scope": "global"}, "template is not a string"),
    ({"sha256": "0" * 64, "template": "t", "scope": "everything"},
     "scope is not global, env:ENV or target:ENV/REGION"),
])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_malformed_entry_is_a_located_error(mini, entry, reason, args):
    path = mini / MANIFEST
    text = path.read_text()
    lines = text.splitlines()
    lines.insert(4, f'"a.yaml": {json.dumps(entry)},')
    path.write_text("\n".join(lines) + "\n")
    result = run(mini, *args)
    assert result.exit_code == 1
    assert result.stderr.startswith('output/.mwgen-manifest.json:5: entry "a.yaml": ')
    assert reason in result.stderr and len(result.stderr.splitlines()) == 1


def test_files_that_is_not_a_mapping_is_an_error(mini):
    (mini / MANIFEST).write_text('{"version": 2, "files": []}\n')
    result = run(mini, "render")
    assert result.exit_code == 1
    assert result.stderr == "output/.mwgen-manifest.json: 'files' is not a mapping\n"


def test_a_planted_symlink_at_a_temp_name_is_never_followed(mini):
    """The old temp name was .NAME.mwgen-tmp-PID: plant a link at every such name this
    process could use; the render must write nothing through it."""
    victim = mini.parent / "outside/precious.txt"
    folder = mini / "output/dev/r1"
    for name in os.listdir(folder):
        if not name.startswith("."):
            (folder / f".{name}.mwgen-tmp-{os.getpid()}").symlink_to(victim)
    result = run(mini, "render", "--set", "app.note=changed")
    assert result.exit_code == 0, result.stderr
    assert victim.read_text() == "not mwgen's\n"
    assert "changed" in (folder / "config.yaml").read_text()


def test_a_dangling_lock_symlink_creates_nothing_outside(mini):
    outside = mini.parent / "outside"
    (mini / "output/.mwgen.lock").symlink_to(outside / "created-by-mwgen")
    result = run(mini, "render", "--set", "app.note=changed")
    assert result.exit_code == 0, result.stderr
    assert sorted(os.listdir(outside)) == ["precious.txt"]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_symlinked_output_folder_is_refused(mini, spy, args):
    """Decision: output/ itself must be a real folder; a link is refused, not followed."""
    real = mini.parent / "outside" / "tree"
    (mini / "output").rename(real)
    (mini / "output").symlink_to(real)
    before = tree_hashes(real)
    spy.seen.clear()
    result = run(mini, *args)
    seen = list(spy.seen)
    assert result.exit_code == 1
    assert result.stderr == ("output: is a symlink: mwgen never writes through links "
                             "(make it a real folder)\n")
    assert tree_hashes(real) == before and seen == []
