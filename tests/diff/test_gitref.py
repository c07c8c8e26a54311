"""``mwgen diff --against GIT_REF``: what a branch does to every target."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.diff.conftest import edit
from tests.diff.gitrepo import commit_all, git, init_repo
from tests.helpers import mwgen


def two_commits(minimal: Path) -> Path:
    """A repo whose HEAD raises prod web replicas 3 -> 5 over HEAD~1."""
    init_repo(minimal)
    commit_all(minimal, "base")
    edit(minimal / "values/environments/prod.yaml", "replicas: 3", "replicas: 5")
    commit_all(minimal, "scale web")
    return minimal


def test_against_previous_commit_shows_the_change(minimal: Path) -> None:
    repo = two_commits(minimal)
    status = git(repo, "status", "--porcelain")
    res = mwgen("--project", str(repo), "diff", "--against", "HEAD~1")
    assert res.exit_code == 1, res.output
    assert "  Deployment shop-prod/web: spec.replicas: 3 -> 5" in res.stdout
    assert "--- HEAD~1/output/k8s/prod/us-east-1/services/web/deployment.yaml" in res.stdout
    assert "2 file(s) differ between HEAD~1 and the working tree" in res.stdout
    assert git(repo, "status", "--porcelain") == status  # working tree untouched

    res = mwgen("--project", str(repo), "diff", "--against", "HEAD")
    assert res.exit_code == 0, res.output


def test_markdown_comment_has_a_summary_table_then_targets(minimal: Path) -> None:
    repo = two_commits(minimal)
    res = mwgen("--project", str(repo), "diff", "--against", "HEAD~1", "--format", "markdown")
    assert res.exit_code == 1
    md = res.stdout
    assert md.startswith("## mwgen diff: `HEAD~1` → working tree\n")
    assert ("| target | added | changed | removed | documents changed |\n"
            "| --- | ---: | ---: | ---: | ---: |\n"
            "| prod/eu-west-1 | 0 | 1 | 0 | 1 |\n"
            "| prod/us-east-1 | 0 | 1 | 0 | 1 |\n") in md
    assert md.index("| prod/eu-west-1") < md.index("### prod/eu-west-1") < \
        md.index("### prod/us-east-1")
    assert "  - `Deployment shop-prod/web: spec.replicas: 3 -> 5`" in md
    assert "```diff" in md


def test_json_against_a_ref(minimal: Path) -> None:
    repo = two_commits(minimal)
    res = mwgen("--project", str(repo), "diff", "--against", "HEAD~1", "--format", "json",
                "-t", "prod/eu-west-1")
    report = json.loads(res.stdout)
    assert (report["against"], report["ok"], report["targets"]) == (
        "HEAD~1", False, ["prod/eu-west-1"])
    assert [f["path"] for f in report["files"]] == [
        "output/k8s/prod/eu-west-1/services/web/deployment.yaml"]


def test_project_below_the_repository_root(minimal: Path, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.move(str(minimal), repo / "deploy" / "gitops")
    init_repo(repo)
    commit_all(repo, "base")
    edit(repo / "deploy/gitops/values/defaults.yaml", "registry.example.com", "mirror.example")
    res = mwgen("--project", str(repo / "deploy/gitops"), "diff", "--against", "HEAD",
                "--format", "json")
    assert res.exit_code == 1, res.output
    assert json.loads(res.stdout)["summary"]["changed"] == 6  # every deployment


def test_a_new_target_shows_as_added_files(minimal: Path) -> None:
    repo = two_commits(minimal)
    edit(repo / "values/environments/dev.yaml", "[us-east-1]", "[us-east-1, eu-west-1]")
    res = mwgen("--project", str(repo), "diff", "--against", "HEAD", "--format", "json")
    report = json.loads(res.stdout)
    groups = {(f["group"], f["status"]) for f in report["files"]}
    assert ("dev/eu-west-1", "added") in groups
    assert "dev/eu-west-1" in report["targets"]


def test_bad_ref_and_no_repository_are_one_line_exit_2(minimal: Path) -> None:
    res = mwgen("--project", str(minimal), "diff", "--against", "HEAD")
    assert res.exit_code == 2
    assert len(res.stderr.splitlines()) == 1 and "git" in res.stderr
    repo = two_commits(minimal)
    res = mwgen("--project", str(repo), "diff", "--against", "no-such-branch")
    assert (res.exit_code, res.stderr) == (
        2, "mwgen: 'no-such-branch' is not a commit in this repository\n")


def test_error_at_the_ref_is_located_there(minimal: Path) -> None:
    init_repo(minimal)
    edit(minimal / "values/environments/prod.yaml", "replicas: 3", "replicas: three")
    commit_all(minimal, "broken")
    edit(minimal / "values/environments/prod.yaml", "replicas: three", "replicas: 3")
    res = mwgen("--project", str(minimal), "diff", "--against", "HEAD")
    assert res.exit_code == 1
    assert res.stderr.startswith("HEAD:values/environments/prod.yaml:")


def test_quiet_against_a_ref_lists_files_without_a_fix(minimal: Path) -> None:
    repo = two_commits(minimal)
    res = mwgen("--project", str(repo), "diff", "--against", "HEAD~1", "--quiet")
    assert res.stdout.splitlines() == [
        "output/k8s/prod/eu-west-1/services/web/deployment.yaml: changed",
        "output/k8s/prod/us-east-1/services/web/deployment.yaml: changed"]
