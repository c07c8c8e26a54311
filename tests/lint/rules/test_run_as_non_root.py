"""pod.run-as-non-root: each container (or its pod) sets runAsNonRoot and no user 0."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mwgen.lint.rules.run_as_non_root import RULE
from tests.lint.rules.kit import K8S, check, container, line_of, project, run, where, workload

MESSAGE = "container 'app' may run as root (set runAsNonRoot: true, runAsUser > 0)"


def pod(pod_sc: dict[str, Any], sc: dict[str, Any], kind: str = "Deployment") -> dict[str, Any]:
    wl = workload("web", kind=kind, containers=[container(securityContext=sc)])
    spec = wl["spec"] if kind == "Pod" else wl["spec"]["template"]["spec"]
    spec["securityContext"] = pod_sc
    return wl


@pytest.mark.parametrize("pod_sc, sc", [
    ({"runAsNonRoot": True, "runAsUser": 1000}, {}),
    ({"runAsNonRoot": True}, {}),
    ({}, {"runAsNonRoot": True, "runAsUser": 10001}),
    ({"runAsNonRoot": False, "runAsUser": 0}, {"runAsNonRoot": True, "runAsUser": 5}),  # the container wins
])
def test_non_root_passes(tmp_path: Path, pod_sc: dict[str, Any], sc: dict[str, Any]) -> None:
    assert run(RULE, tmp_path, {K8S: [pod(pod_sc, sc)]}) == []


@pytest.mark.parametrize("pod_sc, sc", [
    ({}, {}),
    ({"runAsUser": 1000}, {}),
    ({"runAsNonRoot": True, "runAsUser": 0}, {}),
    ({"runAsNonRoot": True}, {"runAsUser": 0}),
    ({"runAsNonRoot": True}, {"runAsNonRoot": False}),
    ({"runAsNonRoot": "true"}, {}),
])
def test_root_is_possible(tmp_path: Path, pod_sc: dict[str, Any], sc: dict[str, Any]) -> None:
    assert where(run(RULE, tmp_path, {K8S: [pod(pod_sc, sc)]})) == [
        ("Deployment/web", "spec.template.spec.containers[0].securityContext", MESSAGE)]


def test_a_bare_pod_is_located_at_its_container(tmp_path: Path) -> None:
    root = project(tmp_path, {K8S: [pod({}, {"runAsUser": 0}, kind="Pod")]})
    found = check(RULE, root)
    assert where(found) == [("Pod/web", "spec.containers[0].securityContext", MESSAGE)]
    assert found[0].line == line_of(root, K8S, "runAsUser: 0")
