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


WEST = "output/k8s/production/us-west-2/app.yaml"
ENV_FILE = "output/k8s/production/services.yaml"


def test_a_shared_service_is_checked_in_every_target_that_applies_it(tmp_path: Path) -> None:
    """A Service outside any target folder is applied by every target: one whose pods
    exist in one target but not another is reported (it was never checked before)."""
    shared = obj("Service", "web", {"selector": {"app": "web"}})
    root = project(tmp_path, {K8S: [workload("web")], WEST: [workload("api", labels={"app": "api"})],
                              SHARED: [shared]})
    found = check(RULE, root)
    assert where(found) == [("Service/web", "spec.selector",
                             "selector app=web matches no pods in namespace shop")]
    assert [h.file for h in found] == [SHARED]  # from us-west-2: us-east-1 has the pods


def test_a_per_environment_service_is_checked_only_in_its_environments_targets(
        tmp_path: Path) -> None:
    staging = "output/k8s/staging/us-east-1/app.yaml"
    service = obj("Service", "web", {"selector": {"app": "web"}})
    files = {K8S: [workload("web")], staging: [workload("api", labels={"app": "api"})],
             ENV_FILE: [service]}
    assert run(RULE, tmp_path, files) == []  # staging does not apply production's file
    files[WEST] = [workload("api", labels={"app": "api"})]
    assert [h.file for h in run(RULE, tmp_path, files)] == [ENV_FILE]  # production/us-west-2


def test_lint_reports_a_finding_every_target_repeats_once(tmp_path: Path) -> None:
    from mwgen.lint import lint_output

    shared = obj("Service", "web", {"selector": {"app": "nothing"}})
    root = project(tmp_path, {K8S: [workload("web")], WEST: [workload("web")],
                              SHARED: [shared]})
    found = [p for p in lint_output(root).problems if p.rule == RULE.id]
    assert [(p.file, p.line) for p in found] == [(SHARED, line_of(root, SHARED, "app: nothing"))]


def test_a_tree_of_per_environment_files_only_is_checked(tmp_path: Path) -> None:
    """No target folder at all: the one index holds every object, per-environment
    files' too, and checks them all."""
    files = {ENV_FILE: [workload("web"), obj("Service", "web", {"selector": {"app": "nothing"}})]}
    assert [h.file for h in run(RULE, tmp_path, files)] == [ENV_FILE]
