"""canary.refs: a Canary's targetRef and autoscalerRef name objects of its namespace."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mwgen.lint.rules.canary_refs import RULE
from tests.lint.rules.kit import K8S, obj, run, where, workload

STAGING = "output/k8s/staging/us-east-1/app.yaml"


def canary(target: dict[str, Any], scaler: dict[str, Any] | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"targetRef": target, "analysis": {"maxWeight": 50, "stepWeight": 10}}
    if scaler is not None:
        spec["autoscalerRef"] = scaler
    return obj("Canary", "web", spec)


HPA = obj("HorizontalPodAutoscaler", "web", {"scaleTargetRef": {"kind": "Deployment", "name": "web"},
                                             "maxReplicas": 4})


def test_existing_target_and_autoscaler_pass(tmp_path: Path) -> None:
    files = {K8S: [workload("web"), HPA, canary({"kind": "Deployment", "name": "web"},
                                                {"kind": "HorizontalPodAutoscaler", "name": "web"})]}
    assert run(RULE, tmp_path, files) == []


def test_kinds_default_to_deployment_and_hpa(tmp_path: Path) -> None:
    files = {K8S: [workload("web"), HPA, canary({"name": "web"}, {"name": "web2"})]}
    assert where(run(RULE, tmp_path, files)) == [
        ("Canary/web", "spec.autoscalerRef.name",
         "autoscalerRef HorizontalPodAutoscaler/web2 does not exist in namespace shop")]


def test_a_missing_target_is_located_at_its_name(tmp_path: Path) -> None:
    files = {K8S: [workload("web"), canary({"kind": "StatefulSet", "name": "web"})]}
    assert where(run(RULE, tmp_path, files)) == [
        ("Canary/web", "spec.targetRef.name", "targetRef StatefulSet/web does not exist in namespace shop")]


def test_the_target_must_be_in_the_canarys_namespace_and_target(tmp_path: Path) -> None:
    files: dict[str, Any] = {K8S: [workload("web", ns="other"), canary({"name": "web"})]}
    assert [h.message for h in run(RULE, tmp_path, files)] == [
        "targetRef Deployment/web does not exist in namespace shop"]
    files = {K8S: [canary({"name": "web"})], STAGING: [workload("web")]}
    assert len(run(RULE, tmp_path, files)) == 1


def test_a_canary_without_refs_is_left_to_the_schema(tmp_path: Path) -> None:
    assert run(RULE, tmp_path, {K8S: [obj("Canary", "web", {"targetRef": {"kind": "Deployment"}})]}) == []
