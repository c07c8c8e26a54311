"""mwgen.lint (the library entry): what lint_output reads (the output folder, or another
folder rendered from the project; each file's target from the manifest), what it returns
(findings graded by mwgen.yaml, counts, schema sources), how strict and warnings decide the
exit, and that bad options and configuration stop it with one located error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mwgen.errors import InputError, OutputError, Problem, UsageError
from mwgen.lint import LintResult, lint_output, project_kubernetes_version, syntax_problems
from mwgen.lint.tree import OutputTree
from tests.conftest import MakeProject
from tests.lint.conftest import CASES

DUP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\ndata: {a: "1", a: "2"}\n'
CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d, namespace: shop}\ndata: {a: "1"}\n'
PROJECT = ("apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: shop, namespace: argocd}\n"
           "spec: {sourceRepos: ['*'], destinations: [{server: '*', namespace: '*'}]}\n")


def lint(root: Path, **kwargs: object) -> LintResult:
    return lint_output(root, validator="builtin", **kwargs)  # type: ignore[arg-type]


def found(result: LintResult) -> list[tuple[str, int, str, str, tuple[str, ...]]]:
    return [(p.file, p.line, p.rule, p.severity, p.targets) for p in result.problems]


def env(name: str) -> dict[str, str]:
    return {f"values/environments/{name}.yaml": "{}\n"}


# -- LintResult -------------------------------------------------------------------------
def result(*severities: str, **kw: object) -> LintResult:
    problems = [Problem(file=f"f{i}", message="m", severity=s) for i, s in enumerate(severities)]
    return LintResult(problems=problems, files=3, documents=1, dashboards=2, validator="builtin",
                      kubernetes_version="1.30", **kw)  # type: ignore[arg-type]


def test_errors_fail_warnings_fail_only_when_strict() -> None:
    clean, warned, failed = result(), result("warning", "warning"), result("error", "warning")
    assert (clean.errors, clean.warnings, clean.ok) == (0, 0, True)
    assert (warned.errors, warned.warnings, warned.ok) == (0, 2, True)
    assert (failed.errors, failed.warnings, failed.ok) == (1, 1, False)
    assert [r.passes() for r in (clean, warned, failed)] == [True, True, False]
    assert [r.passes(strict=True) for r in (clean, warned, failed)] == [True, False, False]
    assert [r.failed() for r in (clean, warned, failed)] == [False, False, True]
    assert [r.failed(strict=True) for r in (clean, warned, failed)] == [False, True, True]


def test_the_summary_line_counts_and_names_where_schemas_came_from() -> None:
    assert result().summary() == ("lint: 3 files, 1 Kubernetes documents, 2 dashboards, 0 findings "
                                  "(validator: builtin, Kubernetes 1.30)")
    assert result("error").summary().endswith(", 1 finding (validator: builtin, Kubernetes 1.30)")
    sources = {"apps/v1 Deployment": {"source": "kubernetes-validate"},
               "argoproj.io/v1alpha1 Application": {"source": "mwgen"},
               "flagger.app/v1beta1 Canary": {"source": "mwgen"}}
    assert result("error", "warning", "warning", schema_sources=sources).summary() == (
        "lint: 3 files, 1 Kubernetes documents, 2 dashboards, 3 findings: 1 error, 2 warnings "
        "(validator: builtin, Kubernetes 1.30; schemas: 1 kubernetes-validate, 2 mwgen)")


def test_to_json_has_the_counts_and_sorted_schema_sources() -> None:
    sources = {"b/v1 B": {"source": "mwgen"}, "a/v1 A": {"source": "local"}}
    data = result("error", "warning", schema_sources=sources).to_json()
    assert data == {"files": 3, "documents": 1, "dashboards": 2, "findings": 2, "errors": 1,
                    "warnings": 1, "validator": "builtin", "kubernetes_version": "1.30",
                    "schemas": {"a/v1 A": {"source": "local"}, "b/v1 B": {"source": "mwgen"}}}
    assert list(json.loads(json.dumps(data))["schemas"]) == ["a/v1 A", "b/v1 B"]  # serialisable, sorted


# -- lint_output ----------------------------------------------------------------------
def test_lint_output_counts_and_returns_every_finding_sorted(make_project: MakeProject) -> None:
    root = make_project({**env("prod"), "output/k8s/prod/r1/cm.yaml": DUP, "output/k8s/prod/r1/b.json": '{"a": }',
                         "output/argocd/project.yaml": PROJECT, "output/notes.txt": "ignored",
                         "output/grafana/prod/r1/d.json": (CASES / "grafana" / "dashboard-good.json").read_text()})
    got = lint(root)
    assert found(got) == [("output/k8s/prod/r1/b.json", 1, "json", "error", ("prod/r1",)),
                          ("output/k8s/prod/r1/cm.yaml", 4, "yaml", "error", ("prod/r1",))]
    assert "duplicate key 'a'" in got.problems[1].message
    assert (got.files, got.documents, got.dashboards) == (4, 2, 1)
    assert (got.validator, got.kubernetes_version) == ("builtin", "1.30")
    assert got.schema_sources["argoproj.io/v1alpha1 AppProject"]["source"] == "mwgen"
    assert lint(root).to_json() == got.to_json()  # the same inputs, the same answer


def test_each_files_target_comes_from_the_manifest(make_project: MakeProject) -> None:
    """A layout mwgen cannot guess targets from: the render's record decides (#17 item 2)."""
    manifest = {"version": 2, "files": {
        "apps/web.yaml": {"sha256": "0" * 64, "template": "templates/web.yaml.j2", "scope": "target:prod/r1"},
        "apps/dev.yaml": {"sha256": "0" * 64, "template": "templates/web.yaml.j2", "scope": "target:dev/r1"}}}
    root = make_project({**env("prod"), **env("dev"), "output/apps/web.yaml": DUP, "output/apps/dev.yaml": DUP,
                         "output/.mwgen-manifest.json": json.dumps(manifest)})
    assert found(lint(root, targets=["prod/*"])) == [("output/apps/web.yaml", 4, "yaml", "error", ("prod/r1",))]
    assert "(from templates/web.yaml.j2)" in lint(root, targets=["prod/*"]).problems[0].message
    assert [p.targets for p in lint(root).problems] == [("dev/r1",), ("prod/r1",)]
    assert lint(root, targets=["staging/*"]).files == 0


def test_a_render_elsewhere_is_linted_as_the_output_folder(make_project: MakeProject, tmp_path: Path) -> None:
    root = make_project({"output/k8s/cm.yaml": CM})
    other = tmp_path / "rendered"
    (other / "k8s").mkdir(parents=True)
    (other / "k8s" / "cm.yaml").write_text(DUP)
    assert found(lint(root)) == []
    assert found(lint(root, output_dir=other)) == [("output/k8s/cm.yaml", 4, "yaml", "error", ())]


def test_the_project_grades_core_checks_and_off_drops_them(make_project: MakeProject) -> None:
    root = make_project({"output/k8s/cm.yaml": DUP, "output/k8s/b.json": "[",
                         "mwgen.yaml": "lint:\n  rules: {yaml: warning, json: off}\n"})
    got = lint(root)
    assert found(got) == [("output/k8s/cm.yaml", 4, "yaml", "warning", ())]
    assert got.passes() and got.failed(strict=True)
    assert got.problems[0].format().startswith("output/k8s/cm.yaml:4:16: warning: [yaml] duplicate key")


def test_kubernetes_version_argument_then_config_then_values(make_project: MakeProject) -> None:
    root = make_project({}, version="1.31")
    assert lint(root).kubernetes_version == "1.31"
    (root / "mwgen.yaml").write_text("kubernetes_version: '1.29'\n")
    assert lint(root).kubernetes_version == "1.29"
    assert lint(root, kubernetes_version="1.32").kubernetes_version == "1.32"


@pytest.mark.parametrize("validator", ["", "Builtin", "kubeval"])
def test_an_unknown_validator_is_a_usage_error(make_project: MakeProject, validator: str) -> None:
    root = make_project({"output/k8s/cm.yaml": DUP})
    with pytest.raises(UsageError, match=f"--validator must be one of auto, kubeconform, builtin, not '{validator}'"):
        lint_output(root, validator=validator)


def test_a_bad_kubernetes_version_is_a_usage_error(make_project: MakeProject) -> None:
    with pytest.raises(UsageError, match="is not a version like"):
        lint(make_project({}), kubernetes_version="latest")


def test_bad_configuration_is_one_located_error_before_any_file_is_read(make_project: MakeProject) -> None:
    root = make_project({"output/k8s/cm.yaml": DUP, "output/.mwgen-manifest.json": "{not json",
                         "mwgen.yaml": "lint:\n  rules:\n    no.such-rule: warning\n"})
    with pytest.raises(InputError) as err:
        lint(root)
    [line] = err.value.lines()  # the rule table is checked first: the manifest is never read
    assert line.startswith("mwgen.yaml:3:5: ") and "unknown rule 'no.such-rule'" in line
    (root / "mwgen.yaml").write_text("lint:\n  rules:\n    yaml: loud\n")
    with pytest.raises(InputError) as err:
        lint(root)
    assert err.value.lines() == ["mwgen.yaml:3:5: lint.rules.yaml: 'loud' is not one of ['error', 'warning', 'off']"]


def test_a_broken_manifest_stops_lint_with_its_location(make_project: MakeProject) -> None:
    root = make_project({"output/k8s/cm.yaml": CM, "output/.mwgen-manifest.json": "{\n  not json\n"})
    with pytest.raises(OutputError) as err:
        lint(root)
    assert err.value.lines()[0].startswith("output/.mwgen-manifest.json:2:3: unreadable manifest")


# -- the pieces -------------------------------------------------------------------------
def test_syntax_problems_cover_yaml_and_json_files_only(make_project: MakeProject) -> None:
    root = make_project({"output/a.yaml": "a: [\n", "output/b.yml": "k: 1\nk: 2\n", "output/c.json": "{",
                         "output/d.tf": "resource {", "output/e.yaml": CM})
    tree = OutputTree.scan(root)
    got = [(p.file, p.line, p.rule) for p in syntax_problems(tree, tree.kube_objects())]
    assert got == [("output/a.yaml", 2, "yaml"), ("output/b.yml", 2, "yaml"), ("output/c.json", 1, "json")]


def test_project_kubernetes_version_falls_back_to_the_default(tmp_path: Path) -> None:
    assert project_kubernetes_version(tmp_path) == "1.30"  # no values at all
    (tmp_path / "values").mkdir()
    defaults = tmp_path / "values" / "defaults.yaml"
    for text in ("kubernetes: [\n", "- a list\n", "kubernetes: 1.28\n", "kubernetes: {other: 1}\n",
                 "kubernetes: {version: null}\n", "kubernetes: {version: ''}\n", ""):
        defaults.write_text(text)
        assert project_kubernetes_version(tmp_path) == "1.30", text
    defaults.write_text("kubernetes:\n  version: 1.30\n")
    assert project_kubernetes_version(tmp_path) == "1.30"  # as written, not the float 1.3
    defaults.write_text("kubernetes: {version: 1.28}\n---\nkubernetes: {version: 1.20}\n")
    assert project_kubernetes_version(tmp_path) == "1.28"  # the first document
