"""pod.requests-and-limits: cpu and memory requests and limits on every container."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mwgen.lint.rules.requests_limits import RULE
from tests.lint.rules.kit import K8S, check, container, line_of, project, run, where, workload


def with_resources(resources: Any, name: str = "app") -> dict[str, Any]:
    return container(name, resources=resources)


def test_all_four_set_passes(tmp_path: Path) -> None:
    assert run(RULE, tmp_path, {K8S: [workload("web")]}) == []
    zero = {"requests": {"cpu": 0, "memory": "0"}, "limits": {"cpu": "1", "memory": "1Gi"}}
    assert run(RULE, tmp_path, {K8S: [workload("web", containers=[with_resources(zero)])]}) == []


def test_missing_ones_are_listed_and_located_at_resources(tmp_path: Path) -> None:
    partial = {"requests": {"cpu": "100m", "memory": ""}, "limits": {"memory": "1Gi"}}
    root = project(tmp_path, {K8S: [workload("web", containers=[container(), with_resources(partial, "side")])]})
    found = check(RULE, root)
    assert where(found) == [("Deployment/web", "spec.template.spec.containers[1].resources",
                             "container 'side' sets no requests.memory, limits.cpu")]
    assert found[0].line == line_of(root, K8S, "requests:", after=line_of(root, K8S, "name: side"))


def test_no_resources_at_all(tmp_path: Path) -> None:
    c = container()
    del c["resources"]
    for bad in (c, with_resources(None), with_resources("lots")):
        found = run(RULE, tmp_path, {K8S: [workload("web", kind="CronJob", containers=[bad])]})
        assert where(found) == [("CronJob/web", "spec.jobTemplate.spec.template.spec.containers[0].resources",
                                 "container 'app' sets no requests.cpu, requests.memory, limits.cpu, limits.memory")]
