"""hpa.target: an HPA's scaleTargetRef names a workload (or Flagger's copy) of its target."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mwgen.lint.rules.hpa_target import RULE
from tests.lint.rules.kit import K8S, check, line_of, obj, project, run, where, workload

STAGING = "output/k8s/staging/us-east-1/app.yaml"


def hpa(kind: str, name: str, hpa_name: str = "web") -> dict[str, Any]:
    return obj("HorizontalPodAutoscaler", hpa_name, {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": kind,
                                                                        "name": name}, "maxReplicas": 4})


def test_an_existing_target_passes(tmp_path: Path) -> None:
    files = {K8S: [workload("web"), workload("db", kind="StatefulSet"), hpa("Deployment", "web"),
                   hpa("StatefulSet", "db", "db")]}
    assert run(RULE, tmp_path, files) == []


def test_a_missing_target_is_located_at_its_name(tmp_path: Path) -> None:
    root = project(tmp_path, {K8S: [workload("web"), hpa("Deployment", "webb")]})
    found = check(RULE, root)
    assert where(found) == [("HorizontalPodAutoscaler/web", "spec.scaleTargetRef.name",
                             "scaleTargetRef Deployment/webb does not exist in namespace shop")]
    assert found[0].line == line_of(root, K8S, "name: webb")


def test_the_kind_and_the_target_folder_matter(tmp_path: Path) -> None:
    assert len(run(RULE, tmp_path, {K8S: [workload("web"), hpa("StatefulSet", "web")]})) == 1
    assert len(run(RULE, tmp_path, {K8S: [hpa("Deployment", "web")], STAGING: [workload("web")]})) == 1


def test_flaggers_primary_copy_is_a_target(tmp_path: Path) -> None:
    canary = obj("Canary", "web", {"targetRef": {"kind": "Deployment", "name": "web"},
                                   "autoscalerRef": {"kind": "HorizontalPodAutoscaler", "name": "web"}})
    files = {K8S: [workload("web"), canary, hpa("Deployment", "web-primary", "web-primary")]}
    assert run(RULE, tmp_path, files) == []


def test_an_hpa_without_a_target_name_is_left_to_the_schema(tmp_path: Path) -> None:
    assert run(RULE, tmp_path, {K8S: [obj("HorizontalPodAutoscaler", "web", {"maxReplicas": 3})]}) == []
