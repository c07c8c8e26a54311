"""mwgen.lint.k8s_schemas: Kubernetes versions, which bundled schema folder serves one,
the file names kubeconform expects, and self-contained copies of core kind schemas."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from mwgen.errors import UsageError
from mwgen.lint import k8s_schemas as ks


@pytest.mark.parametrize("text, parsed", [
    ("1.30", (1, 30, 0)), ("v1.30.2", (1, 30, 2)), (" 1.29 ", (1, 29, 0)), ("2.0.10", (2, 0, 10))])
def test_parse_version(text: str, parsed: tuple[int, int, int]) -> None:
    assert ks.parse_version(text) == parsed


@pytest.mark.parametrize("text", ["banana", "1", "1.30.2.1", "", "v", "1.x", "1.30-rc1"])
def test_a_bad_version_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="is not a version like 1.30 or 1.30.2") as err:
        ks.parse_version(text)
    assert err.value.exit_code == 2


def test_kubeconform_wants_three_parts() -> None:
    assert ks.kubeconform_version("1.30") == "1.30.0"
    assert ks.kubeconform_version("v1.29.4") == "1.29.4"


@pytest.mark.parametrize("api_version, group, version", [
    ("v1", "", "v1"), ("apps/v1", "apps", "v1"),
    ("networking.istio.io/v1beta1", "networking.istio.io", "v1beta1")])
def test_split_api_version(api_version: str, group: str, version: str) -> None:
    assert ks.split_api_version(api_version) == (group, version)


def test_core_groups_are_builtin_ones() -> None:
    assert all(ks.is_core_group(g) for g in ("", "apps", "batch", "policy", "autoscaling",
                                             "networking.k8s.io", "rbac.authorization.k8s.io"))
    assert not any(ks.is_core_group(g) for g in ("argoproj.io", "flagger.app", "networking.istio.io",
                                                 "k8s.io.example.com"))


def test_core_file_names_follow_kubeconforms_kind_suffix() -> None:
    assert ks.core_file_name("apps", "v1", "Deployment") == "deployment-apps-v1.json"
    assert ks.core_file_name("", "v1", "ConfigMap") == "configmap-v1.json"
    assert ks.core_file_name("networking.k8s.io", "v1", "Ingress") == "ingress-networking-v1.json"
    assert ks.core_file_name("Policy", "v1", "PodDisruptionBudget") == "poddisruptionbudget-policy-v1.json"


def fake_bundle(root: Path, versions: list[str], files: dict[str, Any] | None = None) -> Path:
    """A kubernetes-validate-like folder: v<X.Y>.0-local[-strict]/ with ``files`` in each."""
    for v in versions:
        for suffix in ("-local", "-local-strict"):
            folder = root / f"v{v}.0{suffix}"
            folder.mkdir(parents=True)
            for name, data in (files or {}).items():
                (folder / name).write_text(json.dumps(data))
    (root / "README").write_text("not a version folder")
    return root


def test_core_dir_is_the_newest_bundle_not_newer_than_the_version(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = fake_bundle(tmp_path / "b", ["1.25", "1.27", "1.28"])
    monkeypatch.setattr(ks, "bundle_root", lambda: bundle)
    assert ks.core_dir("1.27") == bundle / "v1.27.0-local-strict"
    assert ks.core_dir("1.26.3") == bundle / "v1.25.0-local-strict"  # no 1.26: the one before
    assert ks.core_dir("1.28", strict=False) == bundle / "v1.28.0-local"
    for outside in ("1.24", "1.29"):
        with pytest.raises(UsageError, match=rf"Kubernetes {outside}: no bundled schemas for it "
                                             r"\(have 1.25, 1.27, 1.28\)"):
            ks.core_dir(outside)


def test_the_real_bundle_serves_the_default_version() -> None:
    if not ks.core_available():
        pytest.skip("kubernetes-validate is not installed")
    folder = ks.core_dir(ks.DEFAULT_KUBERNETES_VERSION)
    assert folder.name == f"v{ks.DEFAULT_KUBERNETES_VERSION}.0-local-strict"
    assert (folder / ks.core_file_name("apps", "v1", "Deployment")).is_file()


def test_without_kubernetes_validate_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "kubernetes_validate", None)  # import now fails
    with pytest.raises(UsageError, match=r"pip install 'mwgen\[lint\]'"):
        ks.bundle_root()


DEFS = {
    "meta": {"type": "object", "properties": {"labels": {"$ref": "#/$defs/labels"}}},
    "labels": {"type": "object", "additionalProperties": {"type": "string"}},
    "spec": {"properties": {"self": {"$ref": "#/$defs/spec"}, "meta": {"$ref": "#/$defs/meta"}}},
    "unused": {"type": "integer"},
}
KIND = {"$id": "https://kubernetes.io/deployment", "type": "object", "properties": {
    "metadata": {"$ref": "/api/_definitions.json#/$defs/meta"},
    "spec": {"allOf": [{"$ref": "/api/_definitions.json#/$defs/spec"}]},
    "other": {"$ref": "https://example.com/elsewhere.json"},
    "gone": {"$ref": "/api/_definitions.json#/$defs/missing"}}}


def test_make_standalone_copies_exactly_the_definitions_it_reaches() -> None:
    out = ks.make_standalone(KIND, DEFS)
    assert "$id" not in out  # kubeconform would resolve refs against it
    assert list(out["$defs"]) == ["labels", "meta", "spec"]  # sorted; transitive; no "unused"
    assert out["properties"]["metadata"] == {"$ref": "#/$defs/meta"}
    assert out["properties"]["spec"]["allOf"] == [{"$ref": "#/$defs/spec"}]
    assert out["properties"]["other"] == {"$ref": "https://example.com/elsewhere.json"}  # left alone
    assert out["properties"]["gone"] == {"$ref": "#/$defs/missing"}  # localised; nothing to copy
    assert "/api/_definitions.json" not in json.dumps(out)
    assert KIND["properties"]["metadata"] == {"$ref": "/api/_definitions.json#/$defs/meta"}  # input untouched


def test_a_standalone_schema_validates_like_the_original() -> None:
    import jsonschema

    schema = ks.make_standalone(KIND, DEFS)
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors({"metadata": {"labels": {"a": "b"}}}))
    [error] = validator.iter_errors({"metadata": {"labels": {"a": 1}}})
    assert list(error.absolute_path) == ["metadata", "labels", "a"]


def test_standalone_dir_writes_only_the_wanted_core_kinds_once(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    if not ks.core_available():
        pytest.skip("kubernetes-validate is not installed")
    files = {"_definitions.json": {"$defs": DEFS}, "deployment-apps-v1.json": KIND,
             "service-v1.json": {"type": "object"}}
    bundle = fake_bundle(tmp_path / "b", ["1.30"], files)
    monkeypatch.setattr(ks, "bundle_root", lambda: bundle)
    monkeypatch.setenv("MWGEN_CACHE_DIR", str(tmp_path / "cache"))
    wanted = [("apps", "v1", "Deployment"), ("apps", "v1", "Deployment"), ("", "v1", "Service"),
              ("argoproj.io", "v1alpha1", "Application"), ("", "v1", "NoSuchKind")]
    root = ks.standalone_dir("1.30", wanted)
    assert root.is_relative_to(tmp_path / "cache" / "kubeconform-schemas")
    folder = root / "v1.30.0-standalone-strict"  # CORE_TEMPLATE for kubeconform version 1.30.0
    assert sorted(p.name for p in folder.iterdir()) == ["deployment-apps-v1.json", "service-v1.json"]
    written = json.loads((folder / "deployment-apps-v1.json").read_text())
    assert written == ks.make_standalone(KIND, DEFS)
    rendered = ks.CORE_TEMPLATE.replace("{{ .NormalizedKubernetesVersion }}", "v1.30.0") \
        .replace("{{ .StrictSuffix }}", "-strict").replace("{{ .ResourceKind }}", "deployment") \
        .replace("{{ .KindSuffix }}", "-apps-v1")
    assert (root / rendered).is_file()
    # a second run finds the copies and reads nothing from the bundle
    (folder / "service-v1.json").write_text('{"kept": true}')
    (bundle / "v1.30.0-local-strict" / "_definitions.json").unlink()
    assert ks.standalone_dir("1.30", wanted) == root
    assert json.loads((folder / "service-v1.json").read_text()) == {"kept": True}
