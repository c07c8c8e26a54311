"""istio.subset: each DestinationRule subset's labels match some pod of its host's Service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mwgen.lint.rules.istio_subset import RULE
from tests.lint.rules.kit import K8S, check, line_of, obj, project, run, where, workload

V1 = workload("web-v1", labels={"app": "web", "version": "v1"})
SVC = obj("Service", "web", {"selector": {"app": "web"}, "ports": [{"port": 80}]})


def dr(host: str, *versions: str) -> dict[str, Any]:
    return obj("DestinationRule", "web", {"host": host, "subsets": [
        {"name": v, "labels": {"version": v}} for v in versions] + [{"name": "all"}]})


def test_subsets_with_pods_pass(tmp_path: Path) -> None:
    assert run(RULE, tmp_path, {K8S: [V1, SVC, dr("web", "v1")]}) == []


def test_a_subset_without_pods_is_located_at_its_labels(tmp_path: Path) -> None:
    root = project(tmp_path, {K8S: [V1, SVC, dr("web.shop.svc.cluster.local", "v1", "v2")]})
    found = check(RULE, root)
    assert where(found) == [("DestinationRule/web", "spec.subsets[1].labels",
                             "subset 'v2' (version=v2) matches no pod of shop/web")]
    assert found[0].line == line_of(root, K8S, "version: v2")


def test_only_the_services_pods_count(tmp_path: Path) -> None:
    other = workload("api-v2", labels={"app": "api", "version": "v2"})
    assert len(run(RULE, tmp_path, {K8S: [V1, other, SVC, dr("web", "v2")]})) == 1


def test_without_a_service_the_namespaces_pods_count(tmp_path: Path) -> None:
    assert run(RULE, tmp_path, {K8S: [V1, dr("web", "v1")]}) == []
    assert len(run(RULE, tmp_path, {K8S: [V1, dr("web", "v3")]})) == 1


def test_a_service_selecting_nothing_and_external_hosts_are_left_alone(tmp_path: Path) -> None:
    lost = obj("Service", "web", {"selector": {"app": "nothing"}})
    assert run(RULE, tmp_path, {K8S: [V1, lost, dr("web", "v9")]}) == []  # service.selector reports it
    assert run(RULE, tmp_path, {K8S: [V1, dr("api.example.com", "v9")]}) == []
