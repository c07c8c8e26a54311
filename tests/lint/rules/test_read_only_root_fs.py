"""pod.read-only-root-fs: every container's root filesystem is read-only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mwgen.lint.rules.read_only_root_fs import RULE
from tests.lint.rules.kit import K8S, check, container, line_of, project, run, where, workload


def test_read_only_passes(tmp_path: Path) -> None:
    assert run(RULE, tmp_path, {K8S: [workload("web", initContainers=[container("init")])]}) == []


@pytest.mark.parametrize("sc", [{}, {"readOnlyRootFilesystem": False}, {"readOnlyRootFilesystem": "true"}, "x"])
def test_anything_but_true_fails(tmp_path: Path, sc: Any) -> None:
    found = run(RULE, tmp_path, {K8S: [workload("web", containers=[container(securityContext=sc)])]})
    assert where(found) == [("Deployment/web", "spec.template.spec.containers[0].securityContext",
                             "container 'app' has a writable root filesystem")]


def test_located_at_the_init_container(tmp_path: Path) -> None:
    init = container("init", securityContext={"readOnlyRootFilesystem": False})
    root = project(tmp_path, {K8S: [workload("job", kind="Job", initContainers=[init])]})
    found = check(RULE, root)
    assert [(h.subject, h.path) for h in found] == [("Job/job", "spec.template.spec.initContainers[0].securityContext")]
    assert found[0].line == line_of(root, K8S, "readOnlyRootFilesystem: false")


def test_a_container_without_a_name_is_named_by_a_question_mark(tmp_path: Path) -> None:
    c = container(securityContext={})
    del c["name"]
    assert [h.message for h in run(RULE, tmp_path, {K8S: [workload("web", containers=[c])]})] == [
        "container '?' has a writable root filesystem"]
