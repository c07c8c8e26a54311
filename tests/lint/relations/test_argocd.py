"""mwgen.lint.relations.argocd: which Application (or ApplicationSet-generated one) syncs
which output file, following Argo CD's directory-source rules. (The end-to-end ownership
case is in test_relations.py; these are the rules one at a time.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mwgen.lint.relations.argocd import (
    AppView,
    ArgoModel,
    directory_matches,
    expand,
    git_directories,
    glob_match,
    local_path,
    synced,
)
from mwgen.lint.tree import OutputFile, OutputTree
from tests.lint.relations.kit import kube, meta

REPO = "https://git.example.com/gitops.git"
FILES = sorted(["output/k8s/prod/r1/a.yaml", "output/k8s/prod/r1/b.yml", "output/k8s/prod/r1/c.json",
                "output/k8s/prod/r1/main.tf", "output/k8s/prod/r1/sub/d.yaml",
                "output/k8s/prod/r1/sub/deeper/e.yaml", "output/k8s/prod/r10/f.yaml", "top.yaml"])


def src(path: Any = "output/k8s/prod/r1", **rest: Any) -> dict[str, Any]:
    return {"repoURL": REPO, "path": path, **rest}


def app(name: str, spec: dict[str, Any]) -> Any:
    return kube(meta("Application", name, "argocd", "argoproj.io/v1alpha1", spec=spec), target="")


def tree_of(root: Path, files: list[str]) -> OutputTree:
    """An OutputTree over ``files`` whose folders exist under ``root`` (for git generators)."""
    for rel in files:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("")
    return OutputTree(root=root, files=[OutputFile(root / f, f) for f in files], templates={})


def test_local_path_is_a_folder_of_this_repository_or_none() -> None:
    assert local_path(src("/output/k8s/prod/r1/")) == "output/k8s/prod/r1"
    assert local_path(src("")) == "." and local_path(src("/")) == "."
    assert local_path(src(chart="nginx")) is None  # a Helm chart
    assert local_path(src("{{path}}")) is None  # an unexpanded template
    assert local_path(src(7)) is None and local_path({"repoURL": REPO}) is None
    assert local_path(src(), (REPO,)) == "output/k8s/prod/r1"
    assert local_path(src(), ("https://other.example.com/x.git",)) is None


def test_a_source_syncs_its_own_folder_only_unless_recurse() -> None:
    assert list(synced(src(), FILES)) == ["output/k8s/prod/r1/a.yaml", "output/k8s/prod/r1/b.yml",
                                          "output/k8s/prod/r1/c.json"]  # no .tf, no sub/, not r10/
    assert list(synced(src(directory={"recurse": True}), FILES)) == [
        "output/k8s/prod/r1/a.yaml", "output/k8s/prod/r1/b.yml", "output/k8s/prod/r1/c.json",
        "output/k8s/prod/r1/sub/d.yaml", "output/k8s/prod/r1/sub/deeper/e.yaml"]
    assert list(synced(src("."), FILES)) == ["top.yaml"]
    assert list(synced(src(chart="x"), FILES)) == []
    assert list(synced(src("output/k8s/prod/r2"), FILES)) == []


def test_include_and_exclude_filter_relative_to_the_source_folder() -> None:
    recurse = {"recurse": True}
    assert list(synced(src(directory={**recurse, "include": "sub/*"}), FILES)) == [
        "output/k8s/prod/r1/sub/d.yaml", "output/k8s/prod/r1/sub/deeper/e.yaml"]
    assert list(synced(src(directory={**recurse, "exclude": "sub/*"}), FILES)) == [
        "output/k8s/prod/r1/a.yaml", "output/k8s/prod/r1/b.yml", "output/k8s/prod/r1/c.json"]
    assert list(synced(src(directory={**recurse, "include": "{*.yml,*.json}"}), FILES)) == [
        "output/k8s/prod/r1/b.yml", "output/k8s/prod/r1/c.json"]
    assert list(synced(src(directory={"include": "*.yaml", "exclude": "a.yaml"}), FILES)) == []


def test_glob_match_alternatives_and_file_name_patterns() -> None:
    assert glob_match("a.yaml", "*.yaml")
    assert glob_match("sub/d.yaml", "*.yaml")  # no "/" in the pattern: the file name counts
    assert glob_match("sub/d.yaml", "d.yaml") and not glob_match("sub/d.yaml", "x/d.yaml")
    assert glob_match("sub/d.yaml", "sub/*.yaml") and not glob_match("other/d.yaml", "sub/*.yaml")
    assert glob_match("b.yml", "{*.yaml,*.yml}") and not glob_match("c.json", "{*.yaml,*.yml}")
    assert not glob_match("a.yaml", "*.yml")


def test_sources_and_sync_policy() -> None:
    spec = {"source": src(), "sources": [src("x"), "junk", src("y")],
            "syncPolicy": {"automated": {"selfHeal": True}}}
    view = AppView(app("a", spec), spec, ("spec",))
    assert [(at, s["path"]) for at, s in view.sources()] == [
        (("spec", "source"), "output/k8s/prod/r1"), (("spec", "sources", 0), "x"),
        (("spec", "sources", 2), "y")]
    assert view.automated and view.self_heal and view.name == "a"
    manual = AppView(app("m", {}), {"syncPolicy": {"automated": None}}, ("spec",))
    assert not manual.automated and not manual.self_heal
    no_heal = AppView(app("n", {}), {"syncPolicy": {"automated": {"selfHeal": "true"}}}, ("spec",))
    assert no_heal.automated and not no_heal.self_heal  # only the boolean true heals


def test_ignore_differences_covers_a_field_of_the_matching_object() -> None:
    entries = [{"group": "apps", "kind": "Deployment", "jsonPointers": ["/spec/replicas"]},
               {"kind": "ConfigMap", "name": "c", "namespace": "shop", "jqPathExpressions": [".data.x"]},
               {"kind": "Secret", "managedFieldsManagers": ["vault"]}]
    view = AppView(app("a", {}), {"ignoreDifferences": entries}, ("spec",))
    assert view.ignores("apps", "Deployment", "web", "shop", "/spec/replicas")
    assert not view.ignores("apps", "Deployment", "web", "shop", "/spec/template")
    assert not view.ignores("", "Deployment", "web", "shop", "/spec/replicas")  # another group
    assert view.ignores("", "ConfigMap", "c", "shop", "/data/x")  # jq form of the pointer
    assert not view.ignores("", "ConfigMap", "other", "shop", "/data/x")
    assert not view.ignores("", "ConfigMap", "c", "billing", "/data/x")
    assert view.ignores("", "Secret", "any", "any", "/data/anything")  # a manager owns the fields
    assert not AppView(app("b", {}), {}, ("spec",)).ignores("apps", "Deployment", "w", "s", "/spec")


def test_the_model_maps_each_synced_file_to_its_applications(tmp_path: Path) -> None:
    tree = tree_of(tmp_path, FILES)
    objects = [app("r1", {"source": src()}),
               app("all", {"source": src("output/k8s", directory={"recurse": True, "include": "*.json"})}),
               app("elsewhere", {"source": {"repoURL": "https://other/x.git", "path": "output/k8s/prod/r1"}}),
               app("chart", {"source": {"repoURL": REPO, "chart": "nginx", "path": "output/k8s/prod/r1"}})]
    model = ArgoModel.build(tree, objects)
    owners = {rel: [a.name for a in apps] for rel, apps in model.owners.items()}
    assert owners == {"output/k8s/prod/r1/a.yaml": ["r1", "elsewhere"],
                      "output/k8s/prod/r1/b.yml": ["r1", "elsewhere"],
                      "output/k8s/prod/r1/c.json": ["r1", "all", "elsewhere"]}
    only_ours = ArgoModel.build(tree, objects, repo_urls=(REPO,))
    assert [a.name for a in only_ours.owners_of("output/k8s/prod/r1/a.yaml")] == ["r1"]
    assert only_ours.owners_of("output/k8s/prod/r10/f.yaml") == []
    assert [a.name for a in model.apps] == ["r1", "all", "elsewhere", "chart"]


def appset(generators: list[Any], template_spec: dict[str, Any]) -> Any:
    return kube(meta("ApplicationSet", "set", "argocd", "argoproj.io/v1alpha1",
                     spec={"generators": generators, "template": {"spec": template_spec}}), target="")


def test_git_directory_generators_expand_over_existing_folders(tmp_path: Path) -> None:
    tree = tree_of(tmp_path, ["svc/web/a.yaml", "svc/api/a.yaml", "svc/legacy/a.yaml", "svc/file.yaml"])
    gen = {"git": {"repoURL": REPO, "directories": [{"path": "svc/*"},
                                                    {"path": "svc/legacy", "exclude": True}]}}
    template = {"source": {"repoURL": REPO, "path": "{{path}}"},
                "destination": {"namespace": "{{ path.basename }}-{{.path.path}}"}}
    views = expand(tree, appset([gen], template))
    assert [(v.spec["source"]["path"], v.spec["destination"]["namespace"]) for v in views] == [
        ("svc/api", "api-svc/api"), ("svc/web", "web-svc/web")]
    assert all(v.generated and v.at == ("spec", "template", "spec") for v in views)
    assert template["source"]["path"] == "{{path}}"  # the template itself is not changed


def test_list_generators_fill_in_element_keys(tmp_path: Path) -> None:
    tree = tree_of(tmp_path, [])
    gen = {"list": {"elements": [{"env": "prod", "dir": "C:\\x"}, {"env": "dev", "dir": "d", "n": 2}]}}
    template = {"source": {"path": "output/{{env}}/{{ .dir }}"}, "n": ["{{n}}", 3]}
    views = expand(tree, appset([gen], template))
    assert [v.spec["source"]["path"] for v in views] == ["output/prod/C:\\x", "output/dev/d"]
    assert [v.spec["n"] for v in views] == [["{{n}}", 3], ["2", 3]]


def test_an_appset_without_usable_generators_is_its_template_once(tmp_path: Path) -> None:
    tree = tree_of(tmp_path, [])
    template = {"source": {"path": "{{path}}"}}
    [view] = expand(tree, appset(["junk", {"git": {}}], template))
    assert view.spec == template and view.generated


@pytest.mark.parametrize("pattern", ["", "/", "../outside", "/../outside", "svc/../../outside",
                                     "*/../../outside"])
def test_directory_patterns_never_leave_the_project(tmp_path: Path, pattern: str) -> None:
    """Argo CD refuses a path outside the repository; so does lint, wherever the ``..`` is."""
    (tmp_path / "project").mkdir()
    (tmp_path / "outside").mkdir()
    tree = tree_of(tmp_path / "project", ["svc/web/a.yaml"])
    assert directory_matches(tree, pattern) == []


def test_directory_patterns_match_folders_of_the_project(tmp_path: Path) -> None:
    tree = tree_of(tmp_path, ["svc/web/a.yaml", "svc/..api/a.yaml", "svc/file.yaml"])
    assert directory_matches(tree, "/svc/*/") == ["svc/..api", "svc/web"]
    assert directory_matches(tree, "svc/web") == ["svc/web"]
    assert directory_matches(tree, "svc/file.yaml") == []


def test_git_directories_are_sorted_folders_only(tmp_path: Path) -> None:
    tree = tree_of(tmp_path, ["b/x.yaml", "a/x.yaml", "c.yaml"])
    assert git_directories(tree, {"directories": [{"path": "*"}]}) == ["a", "b"]
    assert git_directories(tree, {}) == []
