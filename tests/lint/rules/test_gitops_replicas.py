"""gitops.replicas: git does not own spec.replicas of a workload an HPA or Canary scales."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mwgen.lint.rules.gitops_replicas import RULE
from tests.lint.rules.kit import APPS, K8S, check, line_of, obj, project, run, where, workload

FOLDER = "output/k8s/production/us-east-1"
HPA = obj("HorizontalPodAutoscaler", "web", {"scaleTargetRef": {"kind": "Deployment", "name": "web"},
                                             "minReplicas": 2, "maxReplicas": 6})


def app(name: str = "shop", **spec: Any) -> dict[str, Any]:
    return obj("Application", name, {"project": "default",
                                     "source": {"repoURL": "https://git.example.com/r.git", "path": FOLDER},
                                     **spec}, ns="argocd")


def test_replicas_beside_an_hpa_in_a_synced_folder(tmp_path: Path) -> None:
    root = project(tmp_path, {K8S: [workload("web", replicas=3), HPA], APPS: [app("b"), app("a"), app("a2")]})
    found = check(RULE, root)
    assert where(found) == [("Deployment/web", "spec.replicas",
                             "spec.replicas is owned by git (Application a, a2, b) while "
                             "HorizontalPodAutoscaler/web scales it; drop it or ignoreDifferences /spec/replicas")]
    assert found[0].line == line_of(root, K8S, "replicas: 3")


def test_a_canary_scales_its_target_too(tmp_path: Path) -> None:
    canary = obj("Canary", "web", {"targetRef": {"kind": "StatefulSet", "name": "web"}})
    files = {K8S: [workload("web", kind="StatefulSet", replicas=3), canary], APPS: [app()]}
    assert [h.message.split(" while ")[1].split(";")[0] for h in run(RULE, tmp_path, files)] == [
        "Canary/web scales it"]


def test_no_replicas_no_scaler_or_no_application_passes(tmp_path: Path) -> None:
    assert run(RULE, tmp_path, {K8S: [workload("web"), HPA], APPS: [app()]}) == []
    assert run(RULE, tmp_path, {K8S: [workload("web", replicas=3)], APPS: [app()]}) == []
    assert run(RULE, tmp_path, {K8S: [workload("web", replicas=3), HPA]}) == []


def test_ignore_differences_for_replicas_lets_the_autoscaler_own_them(tmp_path: Path) -> None:
    for entry in ({"group": "apps", "kind": "Deployment", "jsonPointers": ["/spec/replicas"]},
                  {"group": "apps", "kind": "Deployment", "name": "web", "jqPathExpressions": [".spec.replicas"]},
                  {"group": "apps", "kind": "Deployment", "managedFieldsManagers": ["kube-controller-manager"]}):
        files = {K8S: [workload("web", replicas=3), HPA], APPS: [app(ignoreDifferences=[entry])]}
        assert run(RULE, tmp_path, files) == [], entry


def test_ignore_differences_for_something_else_does_not(tmp_path: Path) -> None:
    for entry in ({"group": "apps", "kind": "Deployment", "jsonPointers": ["/spec/template"]},
                  {"group": "apps", "kind": "Deployment", "name": "api", "jsonPointers": ["/spec/replicas"]},
                  {"kind": "Deployment", "jsonPointers": ["/spec/replicas"]}):  # group "" is the core group
        files = {K8S: [workload("web", replicas=3), HPA], APPS: [app(ignoreDifferences=[entry])]}
        assert len(run(RULE, tmp_path, files)) == 1, entry
