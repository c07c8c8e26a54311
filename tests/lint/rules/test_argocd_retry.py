"""argocd.retry: an automated sync (Application or ApplicationSet template) sets a retry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mwgen.lint.rules.argocd_retry import RULE
from tests.lint.rules.kit import APPS, check, line_of, obj, project, run, where


def app(sync: Any) -> dict[str, Any]:
    spec = {"project": "default", "source": {"repoURL": "https://git.example.com/r.git", "path": "."}}
    if sync is not None:
        spec["syncPolicy"] = sync
    return obj("Application", "web", spec, ns="argocd")


def test_automated_with_retry_and_manual_syncs_pass(tmp_path: Path) -> None:
    files = {APPS: [app({"automated": {"prune": True}, "retry": {"limit": 5}}),
                    app({"syncOptions": ["CreateNamespace=true"]}), app(None), app({"automated": None})]}
    assert run(RULE, tmp_path, files) == []


def test_automated_without_retry_is_located_at_sync_policy(tmp_path: Path) -> None:
    root = project(tmp_path, {APPS: [app({"automated": {"selfHeal": True}})]})
    found = check(RULE, root)
    assert where(found) == [("Application/web", "spec.syncPolicy", "automated sync without syncPolicy.retry")]
    assert found[0].line == line_of(root, APPS, "automated:")


def test_an_empty_automated_block_still_automates(tmp_path: Path) -> None:
    assert len(run(RULE, tmp_path, {APPS: [app({"automated": {}})]})) == 1
    assert len(run(RULE, tmp_path, {APPS: [app({"automated": {}, "retry": {}})]})) == 1  # an empty retry is none


def test_an_appset_template_is_checked_at_its_own_path(tmp_path: Path) -> None:
    appset = obj("ApplicationSet", "envs", {"generators": [], "template": {
        "metadata": {"name": "x"}, "spec": {"syncPolicy": {"automated": {"prune": True}}}}}, ns="argocd")
    assert where(run(RULE, tmp_path, {APPS: [appset]})) == [
        ("ApplicationSet/envs", "spec.template.spec.syncPolicy", "automated sync without syncPolicy.retry")]


def test_other_kinds_with_a_sync_policy_are_ignored(tmp_path: Path) -> None:
    other = obj("ConfigMap", "web", {"syncPolicy": {"automated": {}}})
    assert run(RULE, tmp_path, {APPS: [other]}) == []
