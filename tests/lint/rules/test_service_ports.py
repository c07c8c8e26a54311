"""service.ports: each Service targetPort (or port) is a container port of the pods it selects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mwgen.lint.relations.index import build_targets
from mwgen.lint.rules.service_ports import RULE, container_ports
from mwgen.lint.tree import OutputTree
from tests.lint.rules.kit import K8S, check, container, line_of, obj, project, run, where, workload

PORTS = [{"name": "http", "containerPort": 8080}, {"name": "metrics", "containerPort": 9090}]
WEB = workload("web", containers=[container(ports=PORTS), container("side", ports=[{"containerPort": 15000}])])


def svc(*ports: dict[str, Any], app: str = "web") -> dict[str, Any]:
    return obj("Service", "web", {"selector": {"app": app}, "ports": list(ports)})


def test_container_ports_by_name_and_number(tmp_path: Path) -> None:
    root = project(tmp_path, {K8S: [WEB]})
    (index,) = build_targets(OutputTree.scan(root).kube_objects())
    assert container_ports(index.pods[0]) == {"http", 8080, "metrics", 9090, 15000}


def test_ports_by_name_number_or_port_pass(tmp_path: Path) -> None:
    files = {K8S: [WEB, svc({"port": 80, "targetPort": "http"}, {"port": 9090}, {"port": 81, "targetPort": 15000})]}
    assert run(RULE, tmp_path, files) == []


def test_an_unknown_target_port_is_located_at_it(tmp_path: Path) -> None:
    root = project(tmp_path, {K8S: [WEB, svc({"port": 80, "targetPort": "http"}, {"port": 81, "targetPort": "grpc"})]})
    found = check(RULE, root)
    assert where(found) == [("Service/web", "spec.ports[1].targetPort",
                             "targetPort 'grpc' is no container port of Deployment/web "
                             "(ports: 15000, 8080, 9090, http, metrics)")]
    assert found[0].line == line_of(root, K8S, "targetPort: grpc")


def test_without_target_port_the_port_is_judged_at_port(tmp_path: Path) -> None:
    assert where(run(RULE, tmp_path, {K8S: [WEB, svc({"port": 80})]})) == [
        ("Service/web", "spec.ports[0].port",
         "targetPort 80 is no container port of Deployment/web (ports: 15000, 8080, 9090, http, metrics)")]


def test_pods_without_ports_and_services_selecting_nothing(tmp_path: Path) -> None:
    bare = workload("web", containers=[container(ports=[])])
    assert [h.message for h in run(RULE, tmp_path, {K8S: [bare, svc({"port": 80})]})] == [
        "targetPort 80 is no container port of Deployment/web (ports: none)"]
    assert run(RULE, tmp_path, {K8S: [WEB, svc({"port": 1}, app="nothing")]}) == []  # service.selector's finding
