"""argocd.project: an Application's AppProject exists and allows its sources and destination."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mwgen.lint.rules.argocd_project import RULE, allowed, destination_allowed
from tests.lint.rules.kit import APPS, obj, run, where

PROJECTS = "output/argocd/projects/shop.yaml"
SERVER = "https://kubernetes.default.svc"


def app(project: str = "shop", namespace: str = "shop", repo: str = "https://git.example.com/shop.git",
        name: str = "web") -> dict[str, Any]:
    return obj("Application", name, {"project": project, "source": {"repoURL": repo, "path": "."},
                                     "destination": {"server": SERVER, "namespace": namespace}}, ns="argocd")


def appproject(repos: list[str], destinations: list[dict[str, Any]]) -> dict[str, Any]:
    return obj("AppProject", "shop", {"sourceRepos": repos, "destinations": destinations}, ns="argocd")


SHOP = appproject(["https://git.example.com/*", "!https://git.example.com/secret*"],
                  [{"server": SERVER, "namespace": "shop"}, {"name": "edge", "namespace": "edge-*"}])


def test_allowed_globs_with_negation() -> None:
    patterns = ["https://git.example.com/*", "!https://git.example.com/secret*"]
    assert allowed("https://git.example.com/shop.git", patterns)
    assert not allowed("https://git.example.com/secret.git", patterns)
    assert not allowed("https://github.com/x.git", patterns)
    assert not allowed("anything", [])
    assert allowed("anything", ["*"])


def test_destination_by_server_or_name_and_namespace_glob() -> None:
    entries = SHOP["spec"]["destinations"]
    assert destination_allowed({"server": SERVER, "namespace": "shop"}, entries)
    assert destination_allowed({"name": "edge", "namespace": "edge-eu"}, entries)
    assert not destination_allowed({"server": SERVER, "namespace": "billing"}, entries)
    assert not destination_allowed({"name": "other", "namespace": "edge-eu"}, entries)
    assert not destination_allowed({"namespace": "shop"}, entries)  # neither server nor name


def test_an_allowed_application_passes(tmp_path: Path) -> None:
    assert run(RULE, tmp_path, {APPS: [app()], PROJECTS: [SHOP]}) == []


def test_a_missing_project_is_reported_once_at_spec_project(tmp_path: Path) -> None:
    found = run(RULE, tmp_path, {APPS: [app(project="shopp")], PROJECTS: [SHOP]})
    assert where(found) == [("Application/web", "spec.project",
                             "AppProject 'shopp' does not exist (nor in lint.external)")]


def test_default_external_and_templated_projects_are_not_looked_up(tmp_path: Path) -> None:
    files = {APPS: [app(project="default", name="a"), app(project="platform", name="b"),
                    app(project="{{project}}", name="c")]}
    assert [h.subject for h in run(RULE, tmp_path, files)] == ["Application/b"]
    assert run(RULE, tmp_path, files, config="lint: {external: {AppProject: [platform]}}\n") == []


def test_a_destination_the_project_does_not_allow(tmp_path: Path) -> None:
    found = run(RULE, tmp_path, {APPS: [app(namespace="billing")], PROJECTS: [SHOP]})
    assert where(found) == [("Application/web", "spec.destination",
                             f"destination {SERVER} namespace 'billing' is not allowed by AppProject shop")]


def test_a_repository_outside_source_repos(tmp_path: Path) -> None:
    found = run(RULE, tmp_path, {APPS: [app(repo="https://git.example.com/secrets.git")], PROJECTS: [SHOP]})
    assert where(found) == [("Application/web", "spec.source.repoURL",
                             "repoURL https://git.example.com/secrets.git is not in AppProject shop's sourceRepos")]


def test_an_appset_is_judged_per_generated_app_but_reported_once(tmp_path: Path) -> None:
    appset = obj("ApplicationSet", "envs", {
        "generators": [{"list": {"elements": [{"env": "dev"}, {"env": "prod"}]}}],
        "template": {"metadata": {"name": "web-{{env}}"},
                     "spec": {"project": "missing", "source": {"repoURL": "https://x.example/r.git", "path": "."},
                              "destination": {"server": SERVER, "namespace": "{{env}}"}}}}, ns="argocd")
    found = run(RULE, tmp_path, {APPS: [appset], PROJECTS: [SHOP]})
    assert where(found) == [("ApplicationSet/envs", "spec.template.spec.project",
                             "AppProject 'missing' does not exist (nor in lint.external)")]
    appset["spec"]["template"]["spec"]["project"] = "shop"
    found = run(RULE, tmp_path, {APPS: [appset], PROJECTS: [SHOP]})
    assert [(h.path, h.message.split(" is not")[0]) for h in found] == [
        ("spec.template.spec.destination", f"destination {SERVER} namespace 'dev'"),
        ("spec.template.spec.source.repoURL", "repoURL https://x.example/r.git"),  # once, not per app
        ("spec.template.spec.destination", f"destination {SERVER} namespace 'prod'"),
    ]
