"""pdb.allows-disruption: a PDB leaves at least one of its workload's pods evictable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mwgen.lint.relations.index import build_targets
from mwgen.lint.rules.pdb_disruption import RULE, floor
from mwgen.lint.tree import OutputTree
from tests.lint.rules.kit import K8S, check, line_of, obj, project, run, where, workload


def pdb(app: str = "web", **spec: Any) -> dict[str, Any]:
    return obj("PodDisruptionBudget", "web", {"selector": {"matchLabels": {"app": app}}, **spec})


def hpa(low: Any = 3, target: str = "web") -> dict[str, Any]:
    spec = {"scaleTargetRef": {"kind": "Deployment", "name": target}, "maxReplicas": 10}
    if low is not None:
        spec["minReplicas"] = low
    return obj("HorizontalPodAutoscaler", target, spec)


def test_floor_is_the_hpa_minimum_else_replicas_else_one(tmp_path: Path) -> None:
    root = project(tmp_path, {K8S: [workload("a", replicas=4), hpa(3, "a"), workload("b", replicas=2),
                                    workload("c"), workload("d"), hpa(None, "d")]})
    objects = OutputTree.scan(root).kube_objects()
    (index,) = build_targets(objects)
    got = {o.name: floor(index, o) for o in objects if o.kind == "Deployment"}
    assert got == {"a": (3, "HPA minReplicas"), "b": (2, "replicas"), "c": (1, "replicas"), "d": (1, "HPA minReplicas")}


@pytest.mark.parametrize("spec", [{"minAvailable": 2}, {"maxUnavailable": 1}, {"minAvailable": "50%"},
                                  {"maxUnavailable": "25%"}])
def test_room_to_evict_passes(tmp_path: Path, spec: dict[str, Any]) -> None:
    assert run(RULE, tmp_path, {K8S: [workload("web", replicas=3), pdb(**spec)]}) == []


def test_min_available_at_the_hpa_floor_is_located_at_spec(tmp_path: Path) -> None:
    root = project(tmp_path, {K8S: [workload("web", replicas=5), hpa(3), pdb(minAvailable=3)]})
    found = check(RULE, root)
    assert where(found) == [("PodDisruptionBudget/web", "spec",
                             "PDB allows no disruption of Deployment/web: minAvailable 3 vs HPA minReplicas 3")]
    assert found[0].line == line_of(root, K8S, "selector:", after=line_of(root, K8S, "kind: PodDisruptionBudget"))


@pytest.mark.parametrize("spec, why", [({"minAvailable": 2}, "minAvailable 2 vs replicas 2"),
                                       ({"minAvailable": "100%"}, "minAvailable 100% vs replicas 2"),
                                       ({"maxUnavailable": 0}, "maxUnavailable 0"),
                                       ({"maxUnavailable": "0%"}, "maxUnavailable 0%")])
def test_no_room_names_the_field_that_blocks(tmp_path: Path, spec: dict[str, Any], why: str) -> None:
    found = run(RULE, tmp_path, {K8S: [workload("web", replicas=2), pdb(**spec)]})
    assert [h.message for h in found] == [f"PDB allows no disruption of Deployment/web: {why}"]


def test_flaggers_primary_pods_are_judged_against_the_workload(tmp_path: Path) -> None:
    canary = obj("Canary", "web", {"targetRef": {"kind": "Deployment", "name": "web"}})
    files = {K8S: [workload("web"), hpa(2), canary, pdb("web-primary", minAvailable=2)]}
    assert [h.message for h in run(RULE, tmp_path, files)] == [
        "PDB allows no disruption of Deployment/web: minAvailable 2 vs HPA minReplicas 2"]


def test_a_pdb_selecting_no_pods_is_not_judged_here(tmp_path: Path) -> None:
    assert run(RULE, tmp_path, {K8S: [workload("web"), pdb("nothing", minAvailable=9)]}) == []
