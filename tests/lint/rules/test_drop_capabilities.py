"""pod.drop-all-capabilities: every container of every workload kind drops ALL."""

from __future__ import annotations

from pathlib import Path

import pytest

from mwgen.lint.rules.drop_capabilities import RULE
from tests.lint.rules.kit import K8S, check, container, line_of, obj, project, run, where, workload

SC = {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True}


def test_dropping_all_passes(tmp_path: Path) -> None:
    files = {K8S: [workload("web", containers=[container(), container("side", securityContext={
        "capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]}})])]}
    assert run(RULE, tmp_path, files) == []


def test_a_container_without_drop_all_is_located_at_its_security_context(tmp_path: Path) -> None:
    root = project(tmp_path, {K8S: [workload("web", containers=[
        container(), container("side", securityContext={**SC, "capabilities": {"drop": ["NET_RAW"]}})])]})
    found = check(RULE, root)
    assert where(found) == [("Deployment/web", "spec.template.spec.containers[1].securityContext",
                             "container 'side' does not drop ALL capabilities")]
    assert found[0].line == line_of(root, K8S, "allowPrivilegeEscalation", after=line_of(root, K8S, "name: side"))


@pytest.mark.parametrize("kind, base", [
    ("Pod", "spec"), ("StatefulSet", "spec.template.spec"), ("DaemonSet", "spec.template.spec"),
    ("Job", "spec.template.spec"), ("CronJob", "spec.jobTemplate.spec.template.spec"),
])
def test_every_workload_kind_and_init_containers(tmp_path: Path, kind: str, base: str) -> None:
    bare = container("init", securityContext=SC)
    files = {K8S: [workload("w", kind=kind, initContainers=[bare], containers=[container(securityContext={})])]}
    assert [h.path for h in run(RULE, tmp_path, files)] == [
        f"{base}.initContainers[0].securityContext", f"{base}.containers[0].securityContext"]


def test_objects_without_pods_and_odd_shapes_are_skipped(tmp_path: Path) -> None:
    odd = workload("odd", containers=[container(securityContext="yes")])
    odd["spec"]["template"]["spec"]["containers"].append("not a container")
    files = {K8S: [obj("ConfigMap", "c", data={"securityContext": "x"}), odd]}
    assert [h.message for h in run(RULE, tmp_path, files)] == ["container 'app' does not drop ALL capabilities"]
