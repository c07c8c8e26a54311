"""service.selector: a Service's selector selects the pods of some workload in its namespace."""

from __future__ import annotations

from pathlib import Path

from mwgen.lint.rules.service_selector import RULE
from tests.lint.rules.kit import K8S, check, line_of, obj, project, run, where, workload

SHARED = "output/k8s/common/services.yaml"


def test_a_selector_with_pods_passes(tmp_path: Path) -> None:
    files = {K8S: [workload("web", labels={"app": "web", "tier": "front"}),
                   obj("Service", "web", {"selector": {"app": "web", "tier": "front"}}),
                   obj("Service", "external", {"type": "ExternalName", "externalName": "db.example.com"})]}
    assert run(RULE, tmp_path, files) == []


def test_a_selector_without_pods_is_located_at_the_selector(tmp_path: Path) -> None:
    root = project(tmp_path, {K8S: [workload("web"), obj("Service", "web", {"selector": {"app": "wbe", "tier": "x"}})]})
    found = check(RULE, root)
    assert where(found) == [("Service/web", "spec.selector", "selector app=wbe, tier=x matches no pods in namespace shop")]
    assert found[0].line == line_of(root, K8S, "app: wbe")


def test_every_selector_label_must_match(tmp_path: Path) -> None:
    files = {K8S: [workload("web"), obj("Service", "web", {"selector": {"app": "web", "tier": "front"}})]}
    assert len(run(RULE, tmp_path, files)) == 1


def test_pods_of_another_namespace_do_not_count(tmp_path: Path) -> None:
    files = {K8S: [workload("web", ns="other"), obj("Service", "web", {"selector": {"app": "web"}})]}
    assert [h.message for h in run(RULE, tmp_path, files)] == ["selector app=web matches no pods in namespace shop"]


def test_flaggers_primary_pods_are_selectable(tmp_path: Path) -> None:
    canary = obj("Canary", "web", {"targetRef": {"kind": "Deployment", "name": "web"}})
    files = {K8S: [workload("web"), canary, obj("Service", "web-primary", {"selector": {"app": "web-primary"}})]}
    assert run(RULE, tmp_path, files) == []


def test_a_tree_without_target_folders_is_one_target(tmp_path: Path) -> None:
    found = run(RULE, tmp_path, {SHARED: [workload("web"), obj("Service", "web", {"selector": {"app": "nothing"}})]})
    assert [(h.file, h.message) for h in found] == [(SHARED, "selector app=nothing matches no pods in namespace shop")]
    assert run(RULE, tmp_path, {SHARED: [workload("web"), obj("Service", "web", {"selector": {"app": "web"}})]}) == []
