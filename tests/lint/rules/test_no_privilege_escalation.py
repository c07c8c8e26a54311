"""pod.no-privilege-escalation: allowPrivilegeEscalation is false and no container is privileged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mwgen.lint.rules.no_privilege_escalation import RULE
from tests.lint.rules.kit import K8S, check, container, line_of, project, run, where, workload

MESSAGE = "container 'app' allows privilege escalation (set allowPrivilegeEscalation: false, no privileged)"


def test_false_and_unprivileged_passes(tmp_path: Path) -> None:
    sc = {"allowPrivilegeEscalation": False, "privileged": False}
    assert run(RULE, tmp_path, {K8S: [workload("web", containers=[container(securityContext=sc)])]}) == []


@pytest.mark.parametrize("sc", [{}, {"allowPrivilegeEscalation": True}, {"allowPrivilegeEscalation": "false"},
                                {"allowPrivilegeEscalation": False, "privileged": True}, None])
def test_anything_but_an_explicit_false_or_privileged_fails(tmp_path: Path, sc: dict[str, Any] | None) -> None:
    c = container() if sc is None else container(securityContext=sc)
    if sc is None:
        del c["securityContext"]
    found = run(RULE, tmp_path, {K8S: [workload("web", containers=[c])]})
    assert where(found) == [("Deployment/web", "spec.template.spec.containers[0].securityContext", MESSAGE)]


def test_located_in_the_pod_of_a_bare_pod_and_at_init_containers(tmp_path: Path) -> None:
    init = container("init", securityContext={"privileged": True})
    root = project(tmp_path, {K8S: [workload("p", kind="Pod", initContainers=[init])]})
    found = check(RULE, root)
    assert [(h.subject, h.path) for h in found] == [("Pod/p", "spec.initContainers[0].securityContext")]
    assert found[0].line == line_of(root, K8S, "privileged: true")


def test_the_pod_level_security_context_does_not_count(tmp_path: Path) -> None:
    c = container(securityContext={})
    wl = workload("web", containers=[c])
    wl["spec"]["template"]["spec"]["securityContext"]["allowPrivilegeEscalation"] = False
    assert len(run(RULE, tmp_path, {K8S: [wl]})) == 1
