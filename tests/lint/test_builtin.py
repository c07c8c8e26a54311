"""The built-in validator on real schemas: the reference samples, one finding each."""

from __future__ import annotations

from pathlib import Path

import pytest

from mwgen.errors import UsageError
from mwgen.lint import lint_output

from .conftest import REFERENCE

CASES = Path(__file__).parent / "cases"
TARGET_DIR = "output/k8s/production/us-east-1"

#: file -> (line, path, message) findings of our own samples (cases/schema/bad); mwgen's
#: own schemas and the upstream ones give exactly these
EXPECTED = {
    "argocd-application-missing.yaml": [
        (6, "spec", "Application/ledger-api: 'project' is a required property"),
        (8, "spec.source", "Application/ledger-api: 'repoURL' is a required property"),
    ],
    "argocd-application-typo.yaml": [
        (7, "metadata", "Application/ledger-api: Additional properties are not allowed ('lables' was unexpected)"),
        (15, "spec", "Application/ledger-api: Additional properties are not allowed ('syncPolicyy' was unexpected)"),
    ],
    "argocd-applicationset-bad.yaml": [
        (6, "spec", "ApplicationSet/ledger-regions: 'generators' is a required property"),
        (6, "spec", "ApplicationSet/ledger-regions: Additional properties are not allowed ('generator' was unexpected)"),
        (14, "spec.template.spec.destination",
         "ApplicationSet/ledger-regions: Additional properties are not allowed ('namespce' was unexpected)"),
        (22, "spec.destinations",
         "AppProject/finance: {'name': 'in-cluster', 'namespace': 'ledger'} is not of type 'array'"),
    ],
    "broken.yaml": [(6, "", "invalid YAML: while scanning a quoted scalar: found unexpected end of stream")],
    "core-types.yaml": [
        (8, "spec.ports[0].port", "Service/ledger-api: '9090' is not of type 'integer'"),
        (14, "spec.replicas", "Deployment/ledger-api: '4' is not of type 'integer', 'null'"),
        (22, "spec.template.spec.containers[0]",
         "Deployment/ledger-api: Additional properties are not allowed ('imagePullPolicyy' was unexpected)"),
    ],
    "deployment-no-selector.yaml": [(6, "spec", "Deployment/ledger-worker: 'selector' is a required property")],
    "duplicate-key.yaml": [(9, "", "duplicate key 'selector' (first at line 6)")],
    "flagger-bad.yaml": [
        (6, "spec", "Canary/ledger-api: 'analysis' is a required property"),
        (6, "spec", "Canary/ledger-api: 'targetRef' is a required property"),
        (6, "spec", "Canary/ledger-api: Additional properties are not allowed ('targetref' was unexpected)"),
        (13, "spec.provider", "MetricTemplate/p99-latency: 'type' is a required property"),
    ],
    "istio-bad.yaml": [
        (7, "spec.gateways", "VirtualService/ledger-api: 'istio-system/public' is not of type 'array'"),
        (11, "spec.http[0].route[0].weight", "VirtualService/ledger-api: '10' is not of type 'integer'"),
        (14, "spec.http[0].route[2]", "VirtualService/ledger-api: 'destination' is a required property"),
        (21, "spec", "DestinationRule/ledger-api: 'host' is a required property"),
        (26, "(root)", "Gateway/public: Additional properties are not allowed ('spce' was unexpected)"),
    ],
}

#: the team's reference samples (read from ../shared/reference/samples/bad when present):
#: findings as its validate_crds.py reports them, plus lines
REFERENCE_EXPECTED = {
    "argocd-application-missing.yaml": [
        (6, "spec", "Application/no-project: 'project' is a required property"),
        (7, "spec.source", "Application/no-project: 'repoURL' is a required property"),
    ],
    "argocd-application-typo.yaml": [
        (8, "metadata", "Application/checkout: Additional properties are not allowed ('lables' was unexpected)"),
        (18, "spec", "Application/checkout: Additional properties are not allowed ('syncPolicyy' was unexpected)"),
    ],
    "argocd-applicationset-bad.yaml": [
        (7, "spec", "ApplicationSet/checkout-envs: 'generators' is a required property"),
        (7, "spec", "ApplicationSet/checkout-envs: Additional properties are not allowed ('generator' was unexpected)"),
        (15, "spec.template.spec.destination",
         "ApplicationSet/checkout-envs: Additional properties are not allowed ('servr' was unexpected)"),
        (22, "spec.sourceRepos",
         "AppProject/payments: 'https://github.com/example/deploy.git' is not of type 'array'"),
    ],
    "flagger-bad.yaml": [
        (7, "spec", "Canary/checkout: 'analysis' is a required property"),
        (7, "spec", "Canary/checkout: 'targetRef' is a required property"),
        (7, "spec", "Canary/checkout: Additional properties are not allowed ('targetref' was unexpected)"),
        (14, "spec.provider", "MetricTemplate/error-rate: 'type' is a required property"),
    ],
    "istio-bad.yaml": [
        (6, "spec.hosts", "VirtualService/checkout: 'shop.example.com' is not of type 'array'"),
        (10, "spec.http[0].route[0].weight", "VirtualService/checkout: '90' is not of type 'integer'"),
        (11, "spec.http[0].route[1]", "VirtualService/checkout: 'destination' is a required property"),
        (11, "spec.http[0].route[1]",
         "VirtualService/checkout: Additional properties are not allowed ('destinaton' was unexpected)"),
        (18, "spec", "DestinationRule/checkout: 'host' is a required property"),
        (23, "(root)", "Gateway/public-gw: Additional properties are not allowed ('specc' was unexpected)"),
    ],
}


def schema_findings(root: Path, **kwargs: object) -> list[tuple[str, int, str, str]]:
    result = lint_output(root, validator="builtin", **kwargs)  # type: ignore[arg-type]
    return [(Path(p.file).name, p.line, p.path, p.message) for p in result.problems
            if p.rule in ("k8s-schema", "yaml")]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_sample_gives_the_reference_findings(make_project, schema_source: str,
                                                 name: str) -> None:
    """mwgen's own schemas find what the upstream ones find, message for message."""
    root = make_project({f"{TARGET_DIR}/{name}": (CASES / "schema/bad" / name).read_text()})
    got = [(line, path, msg) for _f, line, path, msg in schema_findings(root)]
    assert sorted(got) == sorted(EXPECTED[name])


@pytest.mark.parametrize("name", sorted(REFERENCE_EXPECTED))
def test_the_team_reference_samples_give_the_reference_findings(make_project, schema_source: str,
                                                                name: str) -> None:
    """The CRD samples of ../shared/reference, checked in place (never copied here)."""
    sample = REFERENCE / "samples" / "bad" / name
    if not sample.is_file():
        pytest.skip("../shared/reference is not beside this checkout")
    root = make_project({f"{TARGET_DIR}/{name}": sample.read_text()})
    got = [(line, path, msg) for _f, line, path, msg in schema_findings(root)]
    assert sorted(got) == sorted(REFERENCE_EXPECTED[name])


def test_good_samples_pass_when_the_unknown_crd_is_skipped(make_project, schema_source: str) -> None:
    files = {f"{TARGET_DIR}/{p.name}": p.read_text() for p in (CASES / "schema/good").glob("*.yaml")}
    root = make_project(files)
    result = lint_output(root, validator="builtin", skip_kinds=["Certificate"])
    assert [p for p in result.problems if p.rule.startswith(("k8s", "yaml"))] == []
    sources = {v["source"] for v in result.schema_sources.values()}
    assert sources == {"mwgen" if schema_source == "mwgen" else "local"}


def test_a_kind_without_schema_is_one_warning_per_kind(make_project) -> None:
    cert = (CASES / "schema/good/unknown-crd.yaml").read_text()
    root = make_project({f"{TARGET_DIR}/cert.yaml": cert, f"{TARGET_DIR}/cert2.yaml": cert})
    result = lint_output(root, validator="builtin")
    (finding,) = result.problems
    assert (finding.file, finding.line, finding.rule, finding.severity) == (
        f"{TARGET_DIR}/cert.yaml", 2, "k8s-no-schema", "warning")
    assert finding.message.startswith("no schema for cert-manager.io/v1 Certificate "
                                      "(2 documents not checked): ")
    assert "schema_paths" in finding.message and "--skip-kind Certificate" in finding.message
    assert result.ok and not result.failed() and result.failed(strict=True)


def test_kubernetes_version_outside_the_bundle_is_a_usage_error(make_project) -> None:
    root = make_project({})
    with pytest.raises(UsageError, match="no bundled schemas"):
        lint_output(root, validator="builtin", kubernetes_version="1.12")


def test_kubernetes_version_comes_from_values(make_project) -> None:
    root = make_project({}, version="1.31")
    assert lint_output(root, validator="builtin").kubernetes_version == "1.31"


def test_validators_are_compiled_once_per_kind(make_project, monkeypatch) -> None:
    """A big tree stays cheap because each kind's validator is compiled once, however
    many documents share it (how long it takes is bench/'s business, not a test's)."""
    from mwgen.lint.builtin import Schemas

    compiled: list[tuple[str, str, str]] = []
    original = Schemas._compile

    def counting(self, group: str, version: str, kind: str):  # type: ignore[no-untyped-def]
        compiled.append((group, version, kind))
        return original(self, group, version, kind)

    monkeypatch.setattr(Schemas, "_compile", counting)
    text = (CASES / "schema/good/core.yaml").read_text()
    root = make_project({f"output/k8s/production/r{i}/svc/core.yaml": text for i in range(150)})
    result = lint_output(root, validator="builtin", targets=["production/*"])
    assert result.documents >= 300
    assert compiled and len(compiled) == len(set(compiled))
