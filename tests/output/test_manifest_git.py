"""Issue 12, item 5: one manifest for every machine, merged by git like any file.

The committed manifest holds only path, sha256, template and scope per file, one line
per file in path order; machine state (library versions, input digests) lives in the
user cache. A manifest git could not merge names its recovery command, and that
command (``mwgen render --rebuild-manifest``) works. mwgen leaves no lock file for
``git add -A`` to pick up.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.diff.gitrepo import commit_all, git, git_env, init_repo
from tests.helpers import mwgen

MANIFEST = "output/.mwgen-manifest.json"
REBUILD_HINT = "run `mwgen render --rebuild-manifest` to rebuild it from a full render"


def run(root: Path, *args: str):
    return mwgen("--project", str(root), *args)


def test_nothing_machine_specific_in_the_manifest(mini):
    text = (mini / MANIFEST).read_text()
    assert str(mini.parent) not in text and sys.prefix not in text
    assert "mtime" not in text and "inputs" not in text and "site-packages" not in text
    assert set(json.loads(text)) == {"version", "generator", "files"}


def test_one_line_per_file_in_path_order(mini):
    lines = (mini / MANIFEST).read_text().splitlines()
    files = json.loads("\n".join(lines))["files"]
    entry_lines = [line for line in lines if line.startswith('"') and line.endswith(("},", "}"))]
    assert [json.loads("{" + line.rstrip(",") + "}").popitem()[0] for line in entry_lines] \
        == sorted(files)


def test_a_second_machine_writes_nothing_and_keeps_the_manifest(mini, monkeypatch, tmp_path):
    """Another virtualenv (other paths, an empty cache) with identical inputs."""
    import mwgen.incremental as incremental

    before = (mini / MANIFEST).read_bytes()
    stamp = (mini / MANIFEST).stat().st_mtime_ns
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other-machine-cache"))
    real = incremental._library_fingerprint
    monkeypatch.setattr(incremental, "_library_fingerprint", lambda: real())
    result = run(mini, "render", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["written"] == []
    assert (mini / MANIFEST).read_bytes() == before
    assert (mini / MANIFEST).stat().st_mtime_ns == stamp


def test_library_fingerprint_is_name_and_version_only():
    from mwgen.incremental import _library_fingerprint

    text = _library_fingerprint().decode()
    assert os.sep not in text
    assert re.fullmatch(r"([a-z0-9_]+==[0-9][^\n]*\n?)+", text), text


def repo_with(mini: Path) -> Path:
    init_repo(mini)
    commit_all(mini, "rendered")
    return mini


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1
    path.write_text(text.replace(old, new))


def test_unrelated_value_edits_on_two_branches_merge_cleanly(mini):
    repo = repo_with(mini)
    git(repo, "checkout", "-q", "-b", "dev-change")
    edit(repo / "values/environments/dev.yaml", "regions: [r1]",
         "regions: [r1]\nservices:\n  web:\n    replicas: 2")
    assert run(repo, "render").exit_code == 0
    commit_all(repo, "dev: two web replicas")
    git(repo, "checkout", "-q", "main")
    edit(repo / "values/targets/prod/r2.yaml", "replicas: 5", "replicas: 7")
    assert run(repo, "render").exit_code == 0
    commit_all(repo, "prod/r2: seven web replicas")
    merge = subprocess.run(["git", "-C", str(repo), "merge", "-q", "--no-edit", "dev-change"],
                           capture_output=True, text=True, env=git_env())
    assert merge.returncode == 0, merge.stdout + merge.stderr
    assert "CONFLICT" not in merge.stdout
    assert run(repo, "diff").exit_code == 0
    assert run(repo, "diff", "--quick").exit_code == 0


def conflicted(repo: Path) -> None:
    """Two branches set the same value differently: values, an output file and the
    manifest conflict."""
    git(repo, "checkout", "-q", "-b", "theirs")
    edit(repo / "values/targets/prod/r2.yaml", "replicas: 5", "replicas: 6")
    assert run(repo, "render").exit_code == 0
    commit_all(repo, "six")
    git(repo, "checkout", "-q", "main")
    edit(repo / "values/targets/prod/r2.yaml", "replicas: 5", "replicas: 7")
    assert run(repo, "render").exit_code == 0
    commit_all(repo, "seven")
    merge = subprocess.run(["git", "-C", str(repo), "merge", "--no-edit", "theirs"],
                           capture_output=True, text=True, env=git_env())
    assert merge.returncode != 0 and f"Merge conflict in {MANIFEST}" in merge.stdout


@pytest.mark.parametrize("args", [("render",), ("diff",), ("diff", "--quick"), ("lint",)],
                         ids=" ".join)
def test_conflict_markers_name_the_recovery_command(mini, args):
    repo = repo_with(mini)
    conflicted(repo)
    git(repo, "checkout", "--theirs", "values/targets/prod/r2.yaml")
    result = run(repo, *args)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert re.fullmatch(rf"output/\.mwgen-manifest\.json:\d+: git merge conflict markers; "
                        rf"{re.escape(REBUILD_HINT)}", lines[0])


def test_rebuild_manifest_recovers_from_a_conflicted_merge(mini):
    repo = repo_with(mini)
    conflicted(repo)
    git(repo, "checkout", "--theirs", "values/targets/prod/r2.yaml")
    result = run(repo, "render", "--rebuild-manifest")
    assert result.exit_code == 0, result.stderr
    # The conflicted output file was listed by both sides: mwgen's, so it is rewritten.
    assert result.stderr == "output/prod/r2/svc/web/deployment.yaml: overwrote changes made by hand\n"
    assert "replicas: 6" in (repo / "output/prod/r2/svc/web/deployment.yaml").read_text()
    assert "<<<<<<<" not in (repo / MANIFEST).read_text()
    assert run(repo, "diff").exit_code == 0
    assert run(repo, "render", "--format", "json").exit_code == 0


def test_rebuild_manifest_adopts_equal_files_and_refuses_foreign_ones(mini):
    (mini / MANIFEST).unlink()
    result = run(mini, "render", "--rebuild-manifest", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["written"] == []
    assert run(mini, "diff").exit_code == 0
    (mini / MANIFEST).unlink()
    (mini / "output/dev/r1/config.yaml").write_text("mine: true\n")
    result = run(mini, "render", "--rebuild-manifest")
    assert result.exit_code == 1
    assert result.stderr.startswith("output/dev/r1/config.yaml: exists and was not generated")


def test_rebuild_manifest_needs_the_whole_project(mini):
    result = run(mini, "render", "--rebuild-manifest", "-t", "dev/r1")
    assert result.exit_code == 2 and "cannot be combined with -t" in result.stderr


def test_git_add_all_picks_up_no_lock_or_temp_file(mini):
    repo = repo_with(mini)
    edit(repo / "values/environments/prod.yaml", "replicas: 3", "replicas: 4")
    assert run(repo, "render").exit_code == 0
    git(repo, "add", "-A")
    staged = git(repo, "diff", "--cached", "--name-only").split()
    assert staged and all(p in ("values/environments/prod.yaml", MANIFEST) or
                          p.endswith("deployment.yaml") or p.endswith(".tf")
                          for p in staged), staged
    assert not [p for p in git(repo, "ls-files").split() if "lock" in p or "tmp" in p]
    assert not (repo / "output/.mwgen.lock").exists()


def test_rebuild_manifest_is_not_a_stdout_render(mini):
    result = run(mini, "render", "--rebuild-manifest", "--stdout")
    assert result.exit_code == 2 and "cannot be combined with --stdout" in result.stderr
