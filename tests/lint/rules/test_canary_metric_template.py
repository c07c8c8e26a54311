"""canary.metric-template: an analysis metric's templateRef names a MetricTemplate of the target."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mwgen.lint.rules.canary_metric_template import RULE
from tests.lint.rules.kit import K8S, obj, run, where, workload

STAGING = "output/k8s/staging/us-east-1/app.yaml"
SHARED = "output/k8s/shared/templates.yaml"


def canary(*refs: dict[str, Any] | None) -> dict[str, Any]:
    metrics = [{"name": f"m{i}", **({"templateRef": ref} if ref is not None else {"thresholdRange": {"min": 99}})}
               for i, ref in enumerate(refs)]
    return obj("Canary", "web", {"targetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                                 "analysis": {"metrics": metrics}})


def template(name: str, ns: str = "shop") -> dict[str, Any]:
    return obj("MetricTemplate", name, {"provider": {"type": "prometheus"}, "query": "up"}, ns=ns)


def test_templates_in_the_canary_or_the_named_namespace_pass(tmp_path: Path) -> None:
    files = {K8S: [workload("web"), canary({"name": "latency"}, {"name": "errors", "namespace": "istio-system"}, None),
                   template("latency"), template("errors", ns="istio-system")]}
    assert run(RULE, tmp_path, files) == []


def test_a_missing_template_is_located_at_its_ref(tmp_path: Path) -> None:
    files = {K8S: [workload("web"), canary({"name": "latency"}, {"name": "latncy"}), template("latency")]}
    assert where(run(RULE, tmp_path, files)) == [
        ("Canary/web", "spec.analysis.metrics[1].templateRef", "templateRef shop/latncy is no MetricTemplate of this target")]


def test_the_namespace_of_the_ref_is_where_it_is_looked_up(tmp_path: Path) -> None:
    files = {K8S: [workload("web"), canary({"name": "latency", "namespace": "istio-system"}), template("latency")]}
    assert [h.message for h in run(RULE, tmp_path, files)] == [
        "templateRef istio-system/latency is no MetricTemplate of this target"]


def test_a_template_of_another_target_does_not_count_but_a_shared_one_does(tmp_path: Path) -> None:
    files: dict[str, Any] = {K8S: [workload("web"), canary({"name": "latency"})], STAGING: [template("latency")]}
    assert len(run(RULE, tmp_path, files)) == 1
    files[SHARED] = [template("latency")]  # outside any target folder: applied everywhere
    assert run(RULE, tmp_path, files) == []


def test_an_external_template_passes(tmp_path: Path) -> None:
    files = {K8S: [workload("web"), canary({"name": "latency"})]}
    assert run(RULE, tmp_path, files, config="lint: {external: {MetricTemplate: [shop/latency]}}\n") == []
