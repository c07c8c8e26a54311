"""pod.liveness-and-readiness: containers of long-running workloads have both probes."""

from __future__ import annotations

from pathlib import Path

import pytest

from mwgen.lint.rules.probes import RULE
from tests.lint.rules.kit import K8S, check, container, line_of, project, run, where, workload


def bare(name: str = "app", *drop: str) -> dict[str, object]:
    c = container(name)
    for probe in drop:
        del c[probe]
    return c


def test_both_probes_pass(tmp_path: Path) -> None:
    assert run(RULE, tmp_path, {K8S: [workload("web")]}) == []


def test_a_missing_probe_is_located_at_the_container(tmp_path: Path) -> None:
    root = project(tmp_path, {K8S: [workload("web", containers=[bare(), bare("side", "readinessProbe")])]})
    found = check(RULE, root)
    assert where(found) == [("Deployment/web", "spec.template.spec.containers[1]", "container 'side' has no readinessProbe")]
    assert found[0].line == line_of(root, K8S, "name: side")


def test_both_missing_are_named_together(tmp_path: Path) -> None:
    found = run(RULE, tmp_path, {K8S: [workload("web", containers=[bare("app", "livenessProbe", "readinessProbe")])]})
    assert [h.message for h in found] == ["container 'app' has no livenessProbe or readinessProbe"]


@pytest.mark.parametrize("kind, checked", [("StatefulSet", True), ("DaemonSet", True), ("ReplicaSet", True),
                                           ("Job", False), ("CronJob", False), ("Pod", False)])
def test_only_long_running_kinds_are_checked(tmp_path: Path, kind: str, checked: bool) -> None:
    files = {K8S: [workload("w", kind=kind, containers=[bare("app", "livenessProbe")])]}
    assert len(run(RULE, tmp_path, files)) == (1 if checked else 0)


def test_init_containers_need_no_probes(tmp_path: Path) -> None:
    init = bare("init", "livenessProbe", "readinessProbe")
    assert run(RULE, tmp_path, {K8S: [workload("web", initContainers=[init])]}) == []
