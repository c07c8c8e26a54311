"""argocd.path: an Application's source path and an ApplicationSet's git directories exist."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mwgen.lint.rules.argocd_path import RULE
from tests.lint.rules.kit import APPS, K8S, check, line_of, obj, project, run, where, workload

REPO = "https://git.example.com/shop.git"


def app(path: str, repo: str = REPO, **source: Any) -> dict[str, Any]:
    return obj("Application", "shop", {"project": "default",
                                       "source": {"repoURL": repo, "path": path, **source},
                                       "destination": {"server": "https://kubernetes.default.svc",
                                                       "namespace": "shop"}}, ns="argocd")


def appset(*directories: dict[str, Any], repo: str = REPO) -> dict[str, Any]:
    return obj("ApplicationSet", "envs", {
        "generators": [{"git": {"repoURL": repo, "revision": "HEAD", "directories": list(directories)}}],
        "template": {"metadata": {"name": "{{path.basename}}"},
                     "spec": {"project": "default", "source": {"repoURL": repo, "path": "{{path}}"},
                              "destination": {"server": "https://kubernetes.default.svc", "namespace": "shop"}}},
    }, ns="argocd")


def test_a_path_with_manifests_passes(tmp_path: Path) -> None:
    files = {K8S: [workload("web")], APPS: [app("output/k8s/production/us-east-1")]}
    assert run(RULE, tmp_path, files) == []
    # slashes around the path are ignored; manifests in subfolders count
    files[APPS] = [app("/output/k8s/production/")]
    assert run(RULE, tmp_path, files) == []


def test_a_missing_path_is_located_at_the_source_path(tmp_path: Path) -> None:
    root = project(tmp_path, {K8S: [workload("web")], APPS: [app("output/k8s/production/us-east-2")]})
    found = check(RULE, root)
    assert where(found) == [("Application/shop", "spec.source.path",
                             "source path output/k8s/production/us-east-2 has no manifests in this repository")]
    assert found[0][:2] == (APPS, line_of(root, APPS, "path: output/k8s/production/us-east-2"))


def test_a_path_that_leaves_the_repository_is_refused_even_if_it_exists(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "x.yaml").write_text("a: 1\n")
    root = project(tmp_path / "repo", {K8S: [workload("web")], APPS: [app("../elsewhere")]})
    assert where(check(RULE, root)) == [("Application/shop", "spec.source.path",
                                         "source path ../elsewhere leaves the repository ('..'): "
                                         "Argo CD refuses it")]
    files = {K8S: [workload("web")], APPS: [app("output/k8s/../k8s/production")]}
    assert [m for _, _, m in where(run(RULE, tmp_path / "repo2", files))] == [
        "source path output/k8s/../k8s/production leaves the repository ('..'): Argo CD refuses it"]


def test_a_folder_without_manifests_counts_as_missing(tmp_path: Path) -> None:
    files = {K8S: [workload("web")], APPS: [app("docs")], "docs/README.md": "# not a manifest\n"}
    assert [h.message for h in run(RULE, tmp_path, files)] == [
        "source path docs has no manifests in this repository"]


def test_each_source_of_a_multi_source_app_is_checked(tmp_path: Path) -> None:
    multi = app("output/k8s/production/us-east-1")
    multi["spec"]["sources"] = [multi["spec"].pop("source"), {"repoURL": REPO, "path": "nowhere"}]
    found = run(RULE, tmp_path, {K8S: [workload("web")], APPS: [multi]})
    assert where(found) == [("Application/shop", "spec.sources[1].path",
                             "source path nowhere has no manifests in this repository")]


def test_chart_sources_and_templated_paths_are_not_folders(tmp_path: Path) -> None:
    files = {K8S: [workload("web")], APPS: [app("charts/web", chart="web"), app("{{path}}")]}
    assert run(RULE, tmp_path, files) == []


def test_repo_urls_limits_the_check_to_this_repository(tmp_path: Path) -> None:
    files = {K8S: [workload("web")], APPS: [app("elsewhere", repo="https://git.example.com/other.git")]}
    assert [h.path for h in run(RULE, tmp_path, files)] == ["spec.source.path"]  # default: every repo is this one
    assert run(RULE, tmp_path, files, repo_urls=[REPO]) == []
    files[APPS] = [app("elsewhere")]
    assert [h.path for h in run(RULE, tmp_path, files, repo_urls=[REPO])] == ["spec.source.path"]


def test_appset_directories_must_match_a_folder(tmp_path: Path) -> None:
    good = appset({"path": "output/k8s/*/*"}, {"path": "output/k8s/dev/*", "exclude": True})
    assert run(RULE, tmp_path, {K8S: [workload("web")], APPS: [good]}) == []
    bad = appset({"path": "output/k8s/*/*"}, {"path": "output/kube/*/*"})
    found = run(RULE, tmp_path, {K8S: [workload("web")], APPS: [bad]})
    assert where(found) == [("ApplicationSet/envs", "spec.generators[0].git.directories[1].path",
                             "directory output/kube/*/* matches no folder of this repository")]


def test_appset_generators_of_other_repositories_are_skipped_with_repo_urls(tmp_path: Path) -> None:
    files = {K8S: [workload("web")], APPS: [appset({"path": "nothing/*"}, repo="https://other.example/x.git")]}
    assert len(run(RULE, tmp_path, files)) == 1
    assert run(RULE, tmp_path, files, repo_urls=[REPO]) == []
