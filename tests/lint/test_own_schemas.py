"""mwgen's own structural schemas (mwgen/data/schemas): valid, closed, and catching the
mistakes that matter in the kinds the reference samples do not cover."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from mwgen.lint import lint_output
from mwgen.schemastore import own_root

from .conftest import TARGET_DIR

OWN = own_root()
CRDS = sorted((OWN / "crd-schemas").rglob("*.json"))


def test_every_kind_mwgen_emits_has_an_own_schema() -> None:
    names = {p.relative_to(OWN / "crd-schemas").as_posix() for p in CRDS}
    for kind in ("argoproj.io/application_v1alpha1", "argoproj.io/applicationset_v1alpha1",
                 "argoproj.io/appproject_v1alpha1", "flagger.app/canary_v1beta1",
                 "flagger.app/metrictemplate_v1beta1", "networking.istio.io/virtualservice_v1beta1",
                 "networking.istio.io/destinationrule_v1beta1", "networking.istio.io/gateway_v1beta1",
                 "security.istio.io/peerauthentication_v1beta1",
                 "external-secrets.io/externalsecret_v1beta1", "external-secrets.io/secretstore_v1beta1",
                 "external-secrets.io/clustersecretstore_v1beta1"):
        assert f"{kind}.json" in names
    assert (OWN / "grafana/jsonschema/dashboard.jsonschema.json").is_file()


@pytest.mark.parametrize("path", CRDS, ids=lambda p: p.relative_to(OWN).as_posix())
def test_own_crd_schema_is_valid_draft4_with_a_closed_root(path: Path) -> None:
    """Draft-04 (what kubeconform assumes without $schema); the root is closed itself,
    so lint needs no extra root check; the description says who wrote it."""
    schema = json.loads(path.read_text())
    jsonschema.Draft4Validator.check_schema(schema)
    assert schema["additionalProperties"] is False
    assert {"apiVersion", "kind", "metadata", "spec"} <= set(schema["properties"])
    assert "written by the mwgen team" in schema["description"]


def test_own_dashboard_schema_is_valid_draft7() -> None:
    schema = json.loads((OWN / "grafana/jsonschema/dashboard.jsonschema.json").read_text())
    jsonschema.Draft7Validator.check_schema(schema)


GOOD = """\
apiVersion: external-secrets.io/v1beta1
kind: ClusterSecretStore
metadata: {name: vault}
spec:
  provider:
    vault: {server: "https://vault.example.org", path: secret, version: v2}
---
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata: {name: db, namespace: shop}
spec:
  refreshInterval: 1h
  secretStoreRef: {name: vault, kind: ClusterSecretStore}
  target: {name: db, creationPolicy: Owner}
  data:
    - secretKey: password
      remoteRef: {key: shop/db, property: password}
---
apiVersion: security.istio.io/v1beta1
kind: PeerAuthentication
metadata: {name: default, namespace: istio-system}
spec:
  mtls: {mode: STRICT}
---
apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata: {name: public, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
    - port: {number: 443, name: https, protocol: HTTPS}
      hosts: ["shop.example.org"]
      tls: {mode: SIMPLE, credentialName: shop-tls}
"""

BAD = """\
apiVersion: external-secrets.io/v1beta1
kind: SecretStore
metadata: {name: vault}
spec:
  providr:
    vault: {server: "https://vault.example.org"}
---
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata: {name: db}
spec:
  secretStoreRef: {name: vault, kind: Vault}
  data:
    - secretKey: password
      remoteRef: {property: password}
---
apiVersion: security.istio.io/v1beta1
kind: PeerAuthentication
metadata: {name: default}
spec:
  mtls: {mode: strict}
---
apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata: {name: public}
spec:
  servers:
    - port: {number: 443, protocol: HTTPS}
"""


def schema_messages(root: Path) -> list[tuple[int, str, str]]:
    result = lint_output(root, validator="builtin")
    return sorted((p.line, p.path, p.message) for p in result.problems if p.rule.startswith("k8s"))


def test_good_objects_of_the_other_kinds_pass(make_project) -> None:
    assert schema_messages(make_project({f"{TARGET_DIR}/good.yaml": GOOD})) == []


def test_bad_objects_of_the_other_kinds_are_caught(make_project) -> None:
    assert schema_messages(make_project({f"{TARGET_DIR}/bad.yaml": BAD})) == [
        (5, "spec", "SecretStore/vault: 'provider' is a required property"),
        (5, "spec", "SecretStore/vault: Additional properties are not allowed ('providr' was unexpected)"),
        (12, "spec.secretStoreRef.kind",
         "ExternalSecret/db: 'Vault' is not one of ['SecretStore', 'ClusterSecretStore']"),
        (15, "spec.data[0].remoteRef", "ExternalSecret/db: 'key' is a required property"),
        (21, "spec.mtls.mode",
         "PeerAuthentication/default: 'strict' is not one of ['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT']"),
        (28, "spec.servers[0]", "Gateway/public: 'hosts' is a required property"),
        (28, "spec.servers[0].port", "Gateway/public: 'name' is a required property"),
    ]
