"""mwgen.lint.tree: which files lint reads, the target each belongs to (the manifest's
scope first, the path otherwise), the Kubernetes objects in them, and how a finding about
one becomes a Problem naming the template that made it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mwgen.errors import OutputError
from mwgen.lint.tree import KubeObject, OutputFile, OutputTree, manifest_entries, target_of
from mwgen.lint.yamldocs import Doc
from tests.conftest import MakeProject

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\n"
SHA = "0" * 64


def manifest(entries: dict[str, tuple[str, str]]) -> str:
    """A manifest text: output path -> (template, scope)."""
    return json.dumps({"version": 2, "files": {
        rel: {"sha256": SHA, "template": template, "scope": scope}
        for rel, (template, scope) in entries.items()}})


def test_scan_walks_the_output_folder_for_yaml_json_and_hcl_only(make_project: MakeProject) -> None:
    root = make_project({
        "output/k8s/prod/r1/a.yaml": CM, "output/k8s/prod/r1/b.yml": CM,
        "output/grafana/d.json": "{}", "output/terraform/prod/main.tf": "",
        "output/terraform/prod/terraform.tfvars": "", "output/README.md": "# no",
        "output/k8s/.hidden.yaml": CM, "output/.git/config.yaml": CM, "output/k8s/x.txt": "",
        "values/environments/prod.yaml": "{}\n", "elsewhere/e.yaml": CM})
    tree = OutputTree.scan(root)
    assert [f.rel for f in tree.files] == [
        "output/grafana/d.json", "output/k8s/prod/r1/a.yaml", "output/k8s/prod/r1/b.yml",
        "output/terraform/prod/main.tf", "output/terraform/prod/terraform.tfvars"]
    assert all(f.path == root / f.rel for f in tree.files)
    assert tree.environments == {"prod"} and tree.output == "output"
    assert [f.rel for f in tree.by_suffix(".tf", ".tfvars")] == [
        "output/terraform/prod/main.tf", "output/terraform/prod/terraform.tfvars"]


def test_a_project_without_output_has_no_files(tmp_path: Path) -> None:
    tree = OutputTree.scan(tmp_path)
    assert tree.files == [] and tree.targets() == [] and tree.kube_objects() == []


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")
def test_a_symlink_planted_in_output_is_never_read(make_project: MakeProject, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text(CM)
    root = make_project({"output/k8s/real.yaml": CM})
    (root / "output/k8s/link.yaml").symlink_to(secret)
    assert [f.rel for f in OutputTree.scan(root).files] == ["output/k8s/real.yaml"]


def test_targets_come_from_paths_of_known_environments(make_project: MakeProject) -> None:
    root = make_project({"values/environments/prod.yaml": "{}\n",
                         "output/k8s/prod/r1/svc/a.yaml": CM, "output/k8s/prod/r2/b.yaml": CM,
                         "output/k8s/modules/x/c.yaml": CM, "output/k8s/prod/d.yaml": CM})
    tree = OutputTree.scan(root)
    assert {f.rel: f.target for f in tree.files} == {
        "output/k8s/modules/x/c.yaml": "", "output/k8s/prod/d.yaml": "",
        "output/k8s/prod/r1/svc/a.yaml": "prod/r1", "output/k8s/prod/r2/b.yaml": "prod/r2"}
    assert tree.targets() == ["prod/r1", "prod/r2"]


def test_the_manifest_scope_wins_over_the_path(make_project: MakeProject) -> None:
    """A file's target is what the render recorded, wherever the layout put it."""
    root = make_project({
        "values/environments/prod.yaml": "{}\n",
        "output/flat/web.yaml": CM, "output/k8s/prod/r1/env-wide.yaml": CM, "output/k8s/prod/r2/g.yaml": CM,
        "output/.mwgen-manifest.json": manifest({
            "flat/web.yaml": ("templates/web.yaml.j2", "target:prod/r9"),
            "k8s/prod/r1/env-wide.yaml": ("templates/env.yaml.j2", "env:prod"),
            "k8s/prod/r2/g.yaml": ("", "global")})})
    tree = OutputTree.scan(root)
    assert {f.rel: f.target for f in tree.files} == {
        "output/flat/web.yaml": "prod/r9", "output/k8s/prod/r1/env-wide.yaml": "",
        "output/k8s/prod/r2/g.yaml": ""}
    assert tree.templates == {"flat/web.yaml": "templates/web.yaml.j2",
                              "k8s/prod/r1/env-wide.yaml": "templates/env.yaml.j2"}
    assert [f.rel for f in OutputTree.scan(root, ["prod/*"]).files] == ["output/flat/web.yaml"]


def test_target_patterns_select_files_and_untargeted_files_drop_out(make_project: MakeProject) -> None:
    root = make_project({"values/environments/prod.yaml": "{}\n", "values/environments/dev.yaml": "{}\n",
                         "output/k8s/prod/r1/a.yaml": CM, "output/k8s/dev/r1/b.yaml": CM,
                         "output/argocd/projects/p.yaml": CM})
    assert len(OutputTree.scan(root).files) == 3
    assert [f.rel for f in OutputTree.scan(root, ["dev/*"]).files] == ["output/k8s/dev/r1/b.yaml"]
    assert [f.rel for f in OutputTree.scan(root, ["prod/r1", "dev/r1"]).files] == [
        "output/k8s/dev/r1/b.yaml", "output/k8s/prod/r1/a.yaml"]
    assert OutputTree.scan(root, ["staging/*"]).files == []


def test_the_configured_output_folder_and_a_render_elsewhere(make_project: MakeProject, tmp_path: Path) -> None:
    root = make_project({"mwgen.yaml": "output: build/gitops\n", "values/environments/prod.yaml": "{}\n",
                         "build/gitops/k8s/prod/r1/a.yaml": CM, "output/k8s/prod/r1/stale.yaml": CM})
    tree = OutputTree.scan(root)
    assert tree.output == "build/gitops"
    assert [(f.rel, f.target) for f in tree.files] == [("build/gitops/k8s/prod/r1/a.yaml", "prod/r1")]
    elsewhere = tmp_path / "render"
    (elsewhere / "k8s/prod/r2").mkdir(parents=True)
    (elsewhere / "k8s/prod/r2/b.yaml").write_text(CM)
    (elsewhere / ".mwgen-manifest.json").write_text(manifest({"k8s/prod/r2/b.yaml": ("t.j2", "target:prod/r2")}))
    other = OutputTree.scan(root, output_dir=elsewhere)
    assert [(f.rel, f.path, f.target) for f in other.files] == [  # named as if committed
        ("build/gitops/k8s/prod/r2/b.yaml", elsewhere / "k8s/prod/r2/b.yaml", "prod/r2")]
    assert "(from t.j2)" in other.problem(other.files[0], "m").message


def test_a_bad_manifest_is_an_error_located_in_it(make_project: MakeProject) -> None:
    root = make_project({"output/a.yaml": CM,
                         "output/.mwgen-manifest.json": '{"version": 2, "files": {\n"../x": {}\n}}\n'})
    with pytest.raises(OutputError) as err:
        OutputTree.scan(root)
    assert err.value.lines()[0].startswith("output/.mwgen-manifest.json:2: entry \"../x\":")
    assert manifest_entries(root / "missing") == {}


def test_kube_objects_are_yaml_documents_with_api_version_and_kind(make_project: MakeProject) -> None:
    root = make_project({"output/k8s/a.yaml": f"{CM}---\nkind: NoApiVersion\n---\n- a list\n---\n",
                         "output/k8s/d.json": '{"apiVersion": "v1", "kind": "ConfigMap"}',
                         "output/k8s/broken.yaml": "a: [\n"})
    tree = OutputTree.scan(root)
    objects = tree.kube_objects()
    assert [(o.file.rel, o.ident, o.doc.line) for o in objects] == [("output/k8s/a.yaml", "ConfigMap/c", 1)]
    broken = next(f for f in tree.files if f.rel.endswith("broken.yaml"))
    assert broken.load().docs == [] and broken.load().errors


def test_load_reads_a_file_once_and_by_its_format(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text('{"a": 1}')
    f = OutputFile(path, "output/d.json")
    first = f.load()
    path.write_text('{"a": 2}')
    assert f.load() is first and first.docs[0].data == {"a": 1}  # cached: checkers share it
    yaml_path = tmp_path / "d.yaml"
    yaml_path.write_text("a: 1\na: 2\n")
    assert OutputFile(yaml_path, "output/d.yaml").load().errors[0][:2] == (2, 1)  # duplicate key
    bad = tmp_path / "bad.json"
    bad.write_text('{"a": }')
    [(line, _col, message)] = OutputFile(bad, "output/bad.json").load().errors
    assert line == 1 and message.startswith("invalid JSON")


def test_an_unreadable_file_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"name: caf\xe9\n")
    [(line, col, message)] = OutputFile(latin, "output/latin.yaml").load().errors
    assert (line, col) == (0, 0) and message.startswith("cannot read:")
    assert OutputFile(tmp_path / "gone.yaml", "output/gone.yaml").load().errors[0][2].startswith("cannot read:")


def test_output_file_env_and_group_dir() -> None:
    f = OutputFile(Path("x"), "output/k8s/prod/r1/svc/web/a.yaml", target="prod/r1")
    assert (f.env, f.group_dir) == ("prod", "output/k8s/prod/r1")
    g = OutputFile(Path("x"), "output/argocd/projects/p.yaml")
    assert (g.env, g.group_dir) == ("", "output/argocd/projects")


def test_kube_object_fields_tolerate_odd_metadata() -> None:
    def obj(data: object) -> KubeObject:
        return KubeObject(OutputFile(Path("x"), "output/x.yaml"), Doc(data, None))

    full = obj({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "shop"}})
    assert (full.api_version, full.kind, full.name, full.namespace, full.ident) == (
        "apps/v1", "Deployment", "web", "shop", "Deployment/web")
    odd = obj({"apiVersion": 1, "kind": "X", "metadata": ["not", "a", "mapping"]})
    assert (odd.api_version, odd.name, odd.namespace, odd.ident) == ("1", "", "", "X/?")
    assert obj({"kind": "X", "metadata": {"namespace": None}}).namespace == ""


def test_problem_names_the_file_target_and_template(make_project: MakeProject) -> None:
    root = make_project({"values/environments/prod.yaml": "{}\n", "output/k8s/prod/r1/a.yaml": CM,
                         "output/k8s/b.yaml": CM,
                         "output/.mwgen-manifest.json": manifest({"k8s/prod/r1/a.yaml": (
                             "templates/k8s/{env}/{region}/a.yaml.j2", "target:prod/r1")})})
    tree = OutputTree.scan(root)
    a, b = sorted(tree.files, key=lambda f: f.rel, reverse=True)
    p = tree.problem(a, "bad", line=3, column=2, path="spec", rule="r", severity="warning")
    assert p.format() == ("output/k8s/prod/r1/a.yaml:3:2: spec: warning: [r] bad "
                          "(from templates/k8s/{env}/{region}/a.yaml.j2) (prod/r1)")
    assert tree.problem(b, "bad").format() == "output/k8s/b.yaml: bad"


@pytest.mark.parametrize("rel, envs, output, target", [
    ("output/k8s/prod/us-east-1/a.yaml", None, "output", "prod/us-east-1"),
    ("output/k8s/prod/us-east-1/svc/a.yaml", {"prod"}, "output", "prod/us-east-1"),
    ("output/terraform/modules/eks/main.tf", {"prod"}, "output", ""),
    ("output/terraform/modules/eks/main.tf", set(), "output", "modules/eks"),  # no envs known: any
    ("output/k8s/prod/a.yaml", None, "output", ""),  # too shallow for a region
    ("elsewhere/k8s/prod/r1/a.yaml", None, "output", ""),
    ("outputs/k8s/prod/r1/a.yaml", None, "output", ""),
    ("build/out/k8s/prod/r1/a.yaml", None, "build/out", "prod/r1"),
])
def test_target_of(rel: str, envs: set[str] | None, output: str, target: str) -> None:
    assert target_of(rel, envs, output) == target
