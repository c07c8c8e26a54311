"""Issue 12, item 3: a render of the whole project owns the whole tree.

Removing a region, an environment or a service removes its generated files, and
``mwgen diff`` reports them as removed until then; ``-t`` renders leave other targets
alone; after an interrupted render nothing is orphaned or taken for a hand edit.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.helpers import ROOT, copy_project, mwgen, tree_hashes


def run(root: Path, *args: str):
    return mwgen("--project", str(root), *args)


def generated(root: Path) -> set[str]:
    return set(json.loads((root / "output/.mwgen-manifest.json").read_text())["files"])


def diff_json(root: Path, *args: str) -> tuple[int, dict]:
    result = run(root, "diff", "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


def test_removing_a_region_removes_its_files_and_diff_says_so(mini):
    env = mini / "values/environments/prod.yaml"
    env.write_text(env.read_text().replace("regions: [r1, r2]", "regions: [r1]"))
    gone = {r for r in generated(mini) if r.startswith("prod/r2/")}
    assert gone
    code, report = diff_json(mini)
    assert code == 1
    removed = {f["path"].removeprefix("output/") for f in report["files"]
               if f["status"] == "removed"}
    assert gone <= removed
    assert run(mini, "diff", "--quick", "--quiet").exit_code == 1
    result = run(mini, "render")
    assert result.exit_code == 0, result.stderr
    assert f"{len(gone)} removed" in result.stdout
    assert not (mini / "output/prod/r2").exists()
    assert not {r for r in generated(mini) if r.startswith("prod/r2/")}
    assert run(mini, "diff").exit_code == 0
    assert run(mini, "diff", "--quick").exit_code == 0


def test_deleting_an_environment_file_removes_its_files(mini):
    (mini / "values/environments/dev.yaml").unlink()
    assert run(mini, "diff").exit_code == 1
    result = run(mini, "render")
    assert result.exit_code == 0, result.stderr
    assert not [p for p in (mini / "output").rglob("*") if p.is_file() and
                p.relative_to(mini / "output").parts[0] == "dev"]
    assert run(mini, "diff").exit_code == 0


def test_a_removed_service_is_removed(mini):
    result = run(mini, "render", "--set", "services.worker=null")
    assert result.exit_code == 0, result.stderr
    assert not (mini / "output/dev/r1/svc/worker").exists()


def test_a_t_render_leaves_other_targets_alone(mini):
    env = mini / "values/environments/prod.yaml"
    env.write_text(env.read_text().replace("regions: [r1, r2]", "regions: [r1]"))
    before = tree_hashes(mini / "output/prod/r2")
    result = run(mini, "render", "-t", "prod/r1")
    assert result.exit_code == 0, result.stderr
    assert "0 removed" in result.stdout
    assert tree_hashes(mini / "output/prod/r2") == before
    assert run(mini, "diff", "-t", "prod/r1").exit_code == 0
    assert run(mini, "diff").exit_code == 1  # the whole project still has r2 to remove


def test_a_foreign_file_in_a_removed_target_folder_is_kept(mini):
    (mini / "output/prod/r2/NOTES.md").write_text("mine\n")
    env = mini / "values/environments/prod.yaml"
    env.write_text(env.read_text().replace("regions: [r1, r2]", "regions: [r1]"))
    assert run(mini, "render").exit_code == 0
    assert (mini / "output/prod/r2/NOTES.md").read_text() == "mine\n"
    assert not (mini / "output/prod/r2/config.yaml").exists()


def test_an_interrupted_render_orphans_nothing(mini, monkeypatch):
    """Renames stop half-way (the process dies, the disk fails): the next render, with
    other values, removes what it no longer produces and warns about no hand edit."""
    import os

    import mwgen.output as output

    real, calls = os.replace, {"n": 0}

    def dies(src, dst):
        if not str(dst).startswith(str(mini / "output")):
            return real(src, dst)  # the user cache's writes are not output's
        calls["n"] += 1
        if calls["n"] == 4:  # the intent manifest, two files, then the failure
            raise OSError(5, "Input/output error")
        return real(src, dst)

    monkeypatch.setattr(output.os, "replace", dies)
    result = run(mini, "render", "--set", "app.note=half", "--set", "services.web.replicas=7")
    monkeypatch.undo()
    assert result.exit_code == 1 and "the next `mwgen render` completes" in result.stderr
    result = run(mini, "render", "--set", "services.worker=null")
    assert result.exit_code == 0, result.stderr
    assert "by hand" not in result.stderr
    assert not (mini / "output/dev/r1/svc/worker").exists()
    assert not [p for p in (mini / "output").rglob("*mwgen-tmp*")]
    assert run(mini, "diff", "--set", "services.worker=null").exit_code == 0


@pytest.fixture(scope="module")
def _bundled_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(ROOT, tmp_path_factory.mktemp("bundled") / "project")
    assert run(root, "render").exit_code == 0
    return root


#: The issue removed search-indexer; other services' network policies now name it, so
#: the recipe removes the one service nothing else refers to.
REMOVED = "notification-service"


def test_the_issue_recipe_leaves_no_file_of_the_removed_service(_bundled_master, tmp_path):
    """``rm $f; mkdir $f; render --set platform.name=mwx; rmdir $f; render --set
    services.search-indexer=null`` left 18 files of the removed service and hundreds of
    false "overwrote changes made by hand" warnings."""
    root = Path(shutil.copytree(_bundled_master, tmp_path / "bundled", symlinks=True))
    assert len([r for r in generated(root) if REMOVED in r]) >= 18
    f = root / "output/argocd/dev/us-east-1/applications.yaml"
    f.unlink()
    f.mkdir()
    before = tree_hashes(root / "output")
    result = run(root, "render", "--set", "platform.name=mwx")
    assert result.exit_code == 1
    assert result.stderr == ("output/argocd/dev/us-east-1/applications.yaml: is a folder where "
                             "mwgen writes a file (move it away)\n")
    assert tree_hashes(root / "output") == before  # nothing written: item 4 too
    f.rmdir()
    result = run(root, "render", "--set", f"services.{REMOVED}=null")
    assert result.exit_code == 0, result.stderr
    assert "by hand" not in result.stderr
    left = [p for p in (root / "output").rglob("*") if REMOVED in p.name]
    assert left == []
    assert not [r for r in generated(root) if REMOVED in r]
    assert run(root, "diff", "--set", f"services.{REMOVED}=null").exit_code == 0


def test_removing_a_region_of_the_bundled_project(_bundled_master, tmp_path):
    """The issue's case: staging without eu-west-1 must not keep its ArgoCD app."""
    root = Path(shutil.copytree(_bundled_master, tmp_path / "bundled", symlinks=True))
    assert [r for r in generated(root) if "staging/eu-west-1" in r]
    env = root / "values/environments/staging.yaml"
    env.write_text(env.read_text().replace("regions: [us-east-1, eu-west-1]",
                                           "regions: [us-east-1]"))
    assert run(root, "diff", "--quiet").exit_code == 1
    result = run(root, "render")
    assert result.exit_code == 0, result.stderr
    left = [p for p in (root / "output").rglob("*")
            if p.is_file() and "staging/eu-west-1" in p.as_posix()]
    assert left == []
    assert run(root, "diff").exit_code == 0
