"""mwgen.promote.apply: a plan is checked in a staged copy (schema, render) before any
file changes, then written (value files, then output/) and committed on a new branch."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mwgen.errors import InputError, UsageError, ValidationFailed
from mwgen.manifest import Manifest
from mwgen.project import Project, load_project
from mwgen.promote.apply import check_branch, check_clean, commit, preview, write
from mwgen.promote.promotion import Promotion, plan_promote
from tests.promote.conftest import HOUR, T0, Shop, git

STAGING = "values/environments/staging.yaml"


def project(root: Path) -> Project:
    return load_project(root, search=False)


def planned(shop: Shop, version: str = "v1.1.0") -> Promotion:
    """dev runs web ``version`` (committed); the plan to take it to staging."""
    shop.edit("values/environments/dev.yaml", "  regions: [us-east-1]\n",
              f"  regions: [us-east-1]\n\nservices:\n  web:\n    image: {{tag: {version}}}\n")
    shop.commit(f"feat: web {version} on dev", T0 + HOUR)
    return plan_promote(project(shop.root), "dev", "staging", services=["web"])


def test_preview_renders_the_planned_values_and_changes_no_file(shop: Shop) -> None:
    plan = planned(shop)
    before = shop.snapshot()
    rendered = preview(project(shop.root), plan)
    assert shop.snapshot() == before
    assert b"image: shop/web:v1.1.0" in rendered.files["staging/us-east-1/web.yaml"].content
    assert plan.diff is not None
    assert [f.path for f in plan.diff.files] == ["staging/us-east-1/web.yaml"]


def test_preview_refuses_values_the_schema_refuses(shop: Shop) -> None:
    # a release candidate runs in staging, but production's slots take releases only
    shop.edit("values/defaults.yaml", "tag: 'v2.0.0'", "tag: 'v2.1.0-rc.1'")
    shop.edit("values/environments/production.yaml", "    replicas: 4\n",
              "    replicas: 4\n    image: {tag: v2.0.0}\n")
    shop.commit("feat: api v2.1.0-rc.1 on dev and staging", T0 + HOUR)
    p = project(shop.root)
    plan = plan_promote(p, "staging", "production", services=["api"], now=T0 + 30 * HOUR)
    before = shop.snapshot()
    with pytest.raises(ValidationFailed) as caught:
        preview(p, plan)
    (line,) = caught.value.lines()
    assert line.startswith("values/environments/production.yaml:16:17: "
                           "services.api.strategy.slots.green.tag: 'v2.1.0-rc.1' does not match")
    assert shop.snapshot() == before and plan.diff is None


def test_write_puts_values_then_a_fresh_output_tree(shop: Shop) -> None:
    plan = planned(shop)
    p = project(shop.root)
    write(p, plan, preview(p, plan))
    assert shop.read(STAGING) == plan.files[STAGING][1]
    assert "image: shop/web:v1.1.0" in shop.read("output/staging/us-east-1/web.yaml")
    manifest = Manifest.load(shop.root / "output")
    assert "staging/us-east-1/web.yaml" in manifest.files
    assert sorted(line[3:] for line in shop.status().splitlines()) == [
        "output/.mwgen-manifest.json", "output/staging/us-east-1/web.yaml", STAGING]


def test_check_clean_refuses_uncommitted_changes_to_a_planned_file(shop: Shop) -> None:
    plan = planned(shop)
    p = project(shop.root)
    check_clean(p, plan, output=True)  # all committed
    shop.edit(STAGING, "# staging:", "# Staging:")
    with pytest.raises(InputError) as caught:
        check_clean(p, plan)
    assert caught.value.lines() == [f"{STAGING}: has uncommitted changes: commit or stash them "
                                    "before promoting"]


def test_check_clean_looks_at_output_only_when_asked(shop: Shop) -> None:
    plan = planned(shop)
    p = project(shop.root)
    (shop.root / "output" / "stray.txt").write_text("x\n")
    check_clean(p, plan)
    with pytest.raises(InputError, match="^output/stray.txt: has uncommitted changes"):
        check_clean(p, plan, output=True)


def test_outside_git_nothing_is_unclean_but_nothing_can_be_committed(shop: Shop,
                                                                     tmp_path: Path) -> None:
    plan = planned(shop)
    plain = tmp_path / "plain"
    shutil.copytree(shop.root, plain, ignore=shutil.ignore_patterns(".git"))
    p = project(plain)
    check_clean(p, plan, output=True)
    with pytest.raises(UsageError) as caught:
        check_branch(p, plan)
    assert caught.value.exit_code == 2
    assert caught.value.lines() == [f"mwgen: --commit needs a git repository ({plain} is not "
                                    "in one)"]


def test_check_branch_refuses_a_bad_or_taken_name(shop: Shop) -> None:
    plan = planned(shop)
    p = project(shop.root)
    check_branch(p, plan)
    git(shop.root, "branch", plan.branch)
    with pytest.raises(InputError) as caught:
        check_branch(p, plan)
    assert caught.value.lines() == [
        f"{STAGING}: branch promote-staging-v1.1.0 exists already: this promotion was made "
        "before (delete the branch to make it again)"]
    bad = Promotion("promote", "staging", "dev", versions={"web": "v1..0"})
    with pytest.raises(UsageError, match="'promote-staging-v1..0' is not a valid branch name"):
        check_branch(p, bad)


def test_commit_puts_values_and_output_on_a_new_branch(shop: Shop) -> None:
    plan = planned(shop)
    p = project(shop.root)
    write(p, plan, preview(p, plan))
    (shop.root / "unrelated.txt").write_text("not part of the promotion\n")
    sha = commit(p, plan)
    assert git(shop.root, "rev-parse", "HEAD").strip() == sha
    assert git(shop.root, "branch", "--show-current").strip() == "promote-staging-v1.1.0"
    assert git(shop.root, "log", "-1", "--format=%B").rstrip("\n") == \
        plan.commit_message().rstrip("\n")
    files = git(shop.root, "show", "--name-only", "--format=", "HEAD").split()
    assert STAGING in files and "output/staging/us-east-1/web.yaml" in files
    assert shop.status() == "?? unrelated.txt\n"
