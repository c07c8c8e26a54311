"""pdb.selects-serving-pods: a PDB's selector picks pods, and pods that serve."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mwgen.lint.rules.pdb_selector import RULE
from tests.lint.rules.kit import K8S, check, line_of, obj, project, run, where, workload

CANARY = obj("Canary", "web", {"targetRef": {"kind": "Deployment", "name": "web"}})


def pdb(selector: dict[str, Any]) -> dict[str, Any]:
    return obj("PodDisruptionBudget", "web", {"minAvailable": 1, "selector": selector})


def test_selecting_serving_pods_passes(tmp_path: Path) -> None:
    assert run(RULE, tmp_path, {K8S: [workload("web"), pdb({"matchLabels": {"app": "web"}})]}) == []
    files = {K8S: [workload("web"), CANARY, pdb({"matchLabels": {"app": "web-primary"}})]}
    assert run(RULE, tmp_path, files) == []


def test_match_expressions_select_too(tmp_path: Path) -> None:
    selector = {"matchExpressions": [{"key": "app", "operator": "In", "values": ["web", "api"]}]}
    assert run(RULE, tmp_path, {K8S: [workload("web"), pdb(selector)]}) == []
    selector = {"matchExpressions": [{"key": "tier", "operator": "Exists"}]}
    assert len(run(RULE, tmp_path, {K8S: [workload("web"), pdb(selector)]})) == 1


def test_a_selector_matching_nothing_is_located_at_the_selector(tmp_path: Path) -> None:
    root = project(tmp_path, {K8S: [workload("web"), pdb({"matchLabels": {"app": "wbe"}})]})
    found = check(RULE, root)
    assert where(found) == [("PodDisruptionBudget/web", "spec.selector", "selector matches no pods in namespace shop")]
    assert found[0].line == line_of(root, K8S, "matchLabels:", after=line_of(root, K8S, "kind: PodDisruptionBudget"))


def test_pods_of_another_namespace_do_not_count(tmp_path: Path) -> None:
    files = {K8S: [workload("web", ns="other"), pdb({"matchLabels": {"app": "web"}})]}
    assert [h.message for h in run(RULE, tmp_path, files)] == ["selector matches no pods in namespace shop"]


def test_selecting_a_canary_target_names_the_serving_pods(tmp_path: Path) -> None:
    files = {K8S: [workload("web"), CANARY, pdb({"matchLabels": {"app": "web"}})]}
    assert where(run(RULE, tmp_path, files)) == [
        ("PodDisruptionBudget/web", "spec.selector",
         "selects only Deployment/web, which Flagger scales to zero; the serving pods are web-primary's")]
