"""Which schema lint uses: $MWGEN_SCHEMA_PATH, then mwgen.yaml schema_paths, then the
user cache, then mwgen's own; and what lint says about it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mwgen.cli import main
from mwgen.lint import k8s_schemas, lint_output
from mwgen.schemastore import SchemaStore, cache_root
from tests.lint.conftest import CASES, TARGET_DIR, isolate


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)  # as in tests/lint/: a cache and environment of its own


WIDGET = "apiVersion: example.org/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 3\n"


def widget_schema(folder: Path, size_type: str, *, catalog_layout: bool = False) -> Path:
    """A Widget schema whose ``spec.size`` must be of ``size_type``: tells sources apart."""
    base = folder if catalog_layout else folder / "crd-schemas"
    path = base / "example.org" / "widget_v1.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"type": "object", "properties": {"spec": {
        "type": "object", "additionalProperties": False,
        "properties": {"size": {"type": size_type}}}}}))
    return path


def size_errors(root: Path) -> list[str]:
    return [p.message for p in lint_output(root, validator="builtin").problems
            if p.rule == "k8s-schema"]


def test_search_order(make_project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project({f"{TARGET_DIR}/w.yaml": WIDGET})
    widget_schema(cache_root(), "boolean")
    assert size_errors(root) == ["Widget/w: 3 is not of type 'boolean'"]  # the cache

    widget_schema(root / "vendor" / "schemas", "string")
    (root / "mwgen.yaml").write_text("schema_paths: [vendor/schemas]\n")
    assert size_errors(root) == ["Widget/w: 3 is not of type 'string'"]  # config beats cache

    widget_schema(tmp_path / "env-folder", "integer", catalog_layout=True)
    monkeypatch.setenv("MWGEN_SCHEMA_PATH", str(tmp_path / "env-folder"))
    result = lint_output(root, validator="builtin")  # the environment beats configuration
    assert [p for p in result.problems if p.rule.startswith("k8s")] == []
    assert result.schema_sources == {"example.org/v1 Widget": {
        "source": "local", "file": str(tmp_path / "env-folder" / "example.org" / "widget_v1.json")}}


def test_upstream_in_a_local_folder_beats_mwgen_own(make_project, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    app = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a}\nspec: {}\n"
    root = make_project({f"{TARGET_DIR}/app.yaml": app})
    own = lint_output(root, validator="builtin")
    assert own.schema_sources["argoproj.io/v1alpha1 Application"] == {
        "source": "mwgen", "file": "crd-schemas/argoproj.io/application_v1alpha1.json"}
    assert "schemas: 1 mwgen)" in own.summary()
    path = tmp_path / "up" / "crd-schemas" / "argoproj.io" / "application_v1alpha1.json"
    path.parent.mkdir(parents=True)
    path.write_text('{"type": "object", "properties": {"spec": {"type": "object"}}}')
    monkeypatch.setenv("MWGEN_SCHEMA_PATH", str(tmp_path / "up"))
    local = lint_output(root, validator="builtin")
    assert local.schema_sources["argoproj.io/v1alpha1 Application"]["source"] == "local"
    assert "schemas: 1 local)" in local.summary()
    assert [p for p in local.problems if p.rule.startswith("k8s")] == []


def test_kubeconform_gets_every_crd_root_in_search_order(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MWGEN_SCHEMA_PATH", str(tmp_path / "a"))
    store = SchemaStore.for_project(tmp_path / "p", ["b"])
    locations = store.kubeconform_locations()
    assert [loc.split("{{")[0] for loc in locations] == [
        f"{tmp_path}/a/crd-schemas/", f"{tmp_path}/a/", f"{tmp_path}/p/b/crd-schemas/",
        f"{tmp_path}/p/b/", f"{cache_root()}/crd-schemas/", locations[-1].split("{{")[0]]
    assert locations[-1].endswith("mwgen/data/schemas/crd-schemas/{{ .Group }}/"
                                  "{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json")


def test_strict_and_json_for_a_kind_without_schema(make_project) -> None:
    root = make_project({f"{TARGET_DIR}/w.yaml": WIDGET})
    runner = CliRunner()
    args = ["--project", str(root), "lint", "--validator", "builtin"]
    normal = runner.invoke(main, args)
    assert normal.exit_code == 0
    assert (f"{TARGET_DIR}/w.yaml:1:1: warning: [k8s-no-schema] no schema for example.org/v1 Widget "
            "(1 document not checked): put crd-schemas/<group>/widget_<version>.json in a folder "
            "listed in schema_paths (mwgen.yaml) or $MWGEN_SCHEMA_PATH, or --skip-kind Widget "
            "(production/us-east-1)") in normal.output
    assert "site-packages" not in normal.output and "Traceback" not in normal.output
    assert runner.invoke(main, [*args, "--strict"]).exit_code == 1
    report = json.loads(runner.invoke(main, [*args, "--format", "json"]).stdout)
    assert report["ok"] is True and report["problems"][0]["severity"] == "warning"
    strict = runner.invoke(main, [*args, "--format", "json", "--strict"])
    assert strict.exit_code == 1 and json.loads(strict.stdout)["ok"] is False


def test_a_pinned_kind_without_schema_says_to_fetch(make_project) -> None:
    """AlertProvider is pinned upstream but mwgen writes no schema of its own for it."""
    alert = "apiVersion: flagger.app/v1beta1\nkind: AlertProvider\nmetadata: {name: a}\nspec: {}\n"
    root = make_project({f"{TARGET_DIR}/alert.yaml": alert})
    (problem,) = [p for p in lint_output(root, validator="builtin").problems
                  if p.rule == "k8s-no-schema"]
    assert "run `mwgen schemas fetch`" in problem.message


def test_without_kubernetes_validate_core_kinds_are_one_warning(make_project,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The light install: CRDs are still checked, core kinds say how to get their schemas."""
    monkeypatch.setattr(k8s_schemas, "core_available", lambda: False)
    core = (CASES / "schema/good/core.yaml").read_text()
    typo = (CASES / "schema/bad/argocd-application-typo.yaml").read_text()
    root = make_project({f"{TARGET_DIR}/core.yaml": core, f"{TARGET_DIR}/app.yaml": typo})
    found = [p for p in lint_output(root, validator="builtin").problems if p.rule.startswith("k8s")]
    warnings = [p for p in found if p.severity == "warning"]
    assert len(warnings) == 1
    assert warnings[0].message.startswith("core Kubernetes kinds have no schema (")
    assert warnings[0].message.endswith("kubernetes-validate is not installed; "
                                        "pip install 'mwgen[lint]'")
    assert [p.message for p in found if p.severity == "error"] == [
        "Application/ledger-api: Additional properties are not allowed ('syncPolicyy' was unexpected)"]


def test_a_built_in_api_the_version_lacks_is_an_error(make_project) -> None:
    """Not a missing schema but a wrong apiVersion: fails without --strict."""
    old = ("apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: i}\n"
           "spec: {rules: []}\n")
    root = make_project({f"{TARGET_DIR}/ingress.yaml": old})
    result = lint_output(root, validator="builtin")
    (problem,) = [p for p in result.problems if p.rule.startswith("k8s")]
    assert problem.severity == "error" and not result.ok
    assert problem.message.startswith("extensions/v1beta1 Ingress is not a built-in API of "
                                      "Kubernetes 1.30 (1 document not checked)")
