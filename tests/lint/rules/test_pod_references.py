"""pod.references: the ServiceAccount, ConfigMaps and Secrets a pod uses exist or are produced."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mwgen.lint.rules.pod_references import RULE, references
from mwgen.lint.tree import OutputTree
from tests.lint.rules.kit import (
    APPS,
    K8S,
    check,
    container,
    line_of,
    obj,
    project,
    run,
    where,
    workload,
)

BASE = ("spec", "template", "spec")


def user(**pod: Any) -> dict[str, Any]:
    """A Deployment referring to everything a pod can refer to."""
    c = container(env=[{"name": "A", "valueFrom": {"secretKeyRef": {"name": "env-secret", "key": "k"}}},
                       {"name": "B", "valueFrom": {"configMapKeyRef": {"name": "env-cm", "key": "k"}}},
                       {"name": "C", "valueFrom": {"secretKeyRef": {"name": "opt", "key": "k", "optional": True}}}],
                  envFrom=[{"secretRef": {"name": "from-secret"}}, {"configMapRef": {"name": "from-cm"}}])
    return workload("web", containers=[c], serviceAccountName="web", imagePullSecrets=[{"name": "pull"}],
                    volumes=[{"name": "s", "secret": {"secretName": "vol-secret"}},
                             {"name": "c", "configMap": {"name": "vol-cm"}},
                             {"name": "o", "configMap": {"name": "opt", "optional": True}},
                             {"name": "p", "projected": {"sources": [{"secret": {"name": "proj-secret"}},
                                                                     {"configMap": {"name": "proj-cm"}}]}}],
                    **pod)


def everything() -> list[dict[str, Any]]:
    names = {"Secret": ["env-secret", "from-secret", "pull", "vol-secret", "proj-secret"],
             "ConfigMap": ["env-cm", "from-cm", "vol-cm", "proj-cm"], "ServiceAccount": ["web"]}
    return [obj(kind, n) for kind, ns in names.items() for n in ns]


def test_references_lists_every_reference_with_its_path(tmp_path: Path) -> None:
    root = project(tmp_path, {K8S: [user()]})
    (wl,) = OutputTree.scan(root).kube_objects()
    c = BASE + ("containers", 0)
    assert list(references(wl)) == [
        (BASE + ("serviceAccountName",), "ServiceAccount", "web"),
        (BASE + ("imagePullSecrets", 0), "Secret", "pull"),
        (BASE + ("volumes", 0), "Secret", "vol-secret"),
        (BASE + ("volumes", 1), "ConfigMap", "vol-cm"),
        (BASE + ("volumes", 3, "projected", "sources", 0), "Secret", "proj-secret"),
        (BASE + ("volumes", 3, "projected", "sources", 1), "ConfigMap", "proj-cm"),
        (c + ("env", 0, "valueFrom", "secretKeyRef"), "Secret", "env-secret"),
        (c + ("env", 1, "valueFrom", "configMapKeyRef"), "ConfigMap", "env-cm"),
        (c + ("envFrom", 0, "secretRef"), "Secret", "from-secret"),
        (c + ("envFrom", 1, "configMapRef"), "ConfigMap", "from-cm"),
    ]


def test_everything_rendered_passes(tmp_path: Path) -> None:
    assert run(RULE, tmp_path, {K8S: [user(), *everything()]}) == []


def test_a_missing_reference_is_located_where_it_is_made(tmp_path: Path) -> None:
    objs = [o for o in everything() if o["metadata"]["name"] != "from-cm"]
    root = project(tmp_path, {K8S: [user(), *objs]})
    found = check(RULE, root)
    assert where(found) == [("Deployment/web", "spec.template.spec.containers[0].envFrom[1].configMapRef",
                             "ConfigMap shop/from-cm does not exist: not rendered for this target, not produced "
                             "by an ExternalSecret or Helm chart Application, not declared in lint.external")]
    assert found[0].line == line_of(root, K8S, "name: from-cm")


def test_the_default_service_account_is_not_checked(tmp_path: Path) -> None:
    assert run(RULE, tmp_path, {K8S: [workload("web", serviceAccountName="default")]}) == []
    assert [h.message.split(":")[0] for h in run(RULE, tmp_path, {K8S: [workload("web", serviceAccount="old")]})] == [
        "ServiceAccount shop/old does not exist"]


def test_secrets_made_by_external_or_sealed_secrets_resolve(tmp_path: Path) -> None:
    made = [obj("ExternalSecret", "x", {"target": {"name": "env-secret"}}), obj("SealedSecret", "pull", {}),
            obj("ExternalSecret", "from-secret", {"target": {}})]
    objs = [o for o in everything() if o["metadata"]["name"] not in ("env-secret", "pull", "from-secret")]
    assert run(RULE, tmp_path, {K8S: [user(), *objs, *made]}) == []


def test_a_helm_chart_application_may_make_anything_in_its_namespace(tmp_path: Path) -> None:
    helm = obj("Application", "charts", {"source": {"repoURL": "https://charts.example.com", "chart": "x"},
                                         "destination": {"namespace": "shop"}}, ns="argocd")
    plain = obj("Application", "plain", {"source": {"repoURL": "https://git.example.com/r.git", "path": "."},
                                         "destination": {"namespace": "shop"}}, ns="argocd")
    assert len(run(RULE, tmp_path, {K8S: [user()], APPS: [plain]})) == 10
    assert run(RULE, tmp_path, {K8S: [user()], APPS: [plain, helm]}) == []


def test_external_declarations_resolve(tmp_path: Path) -> None:
    objs = [o for o in everything() if o["metadata"]["name"] not in ("pull", "web")]
    config = "lint: {external: {Secret: [shop/pull], ServiceAccount: [web]}}\n"
    assert run(RULE, tmp_path, {K8S: [user(), *objs]}, config=config) == []
