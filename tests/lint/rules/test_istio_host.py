"""istio.host: VirtualService hosts and route destinations resolve to Services of the target."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mwgen.lint.rules.istio_host import RULE, hosts
from mwgen.lint.tree import OutputTree
from tests.lint.rules.kit import K8S, check, line_of, obj, project, run, where

SVC = obj("Service", "worker", {"selector": {"app": "worker"}, "ports": [{"port": 80}]})
API = obj("Service", "api", {"selector": {"app": "api"}, "ports": [{"port": 80}]}, ns="backend")
NS = obj("Namespace", "backend", ns=None)


def vs(*dests: str, host_list: tuple[str, ...] = ("worker",), proto: str = "http") -> dict[str, Any]:
    return obj("VirtualService", "web", {"hosts": list(host_list),
                                         proto: [{"route": [{"destination": {"host": d}} for d in dests]}]})


def test_hosts_yields_hosts_and_destinations_of_every_protocol(tmp_path: Path) -> None:
    tcp = vs("b", proto="tcp")
    tcp["spec"]["tls"] = [{"route": [{"destination": {"host": "c"}}, {"weight": 1}]}]
    root = project(tmp_path, {K8S: [tcp]})
    (only,) = OutputTree.scan(root).kube_objects()
    assert list(hosts(only)) == [(("spec", "hosts", 0), "worker"), (("spec", "tcp", 0, "route", 0, "destination", "host"), "b"),
                                 (("spec", "tls", 0, "route", 0, "destination", "host"), "c")]


@pytest.mark.parametrize("host", ["worker", "worker.shop", "worker.shop.svc", "worker.shop.svc.cluster.local",
                                  "api.backend", "api.backend.svc.cluster.local", "www.example.com", "*.example.com"])
def test_hosts_that_resolve_or_are_outside_the_cluster_pass(tmp_path: Path, host: str) -> None:
    assert run(RULE, tmp_path, {K8S: [SVC, API, NS, vs(host)]}) == []


def test_a_missing_destination_is_located_at_its_host(tmp_path: Path) -> None:
    root = project(tmp_path, {K8S: [SVC, vs("worker", "wroker")]})
    found = check(RULE, root)
    assert where(found) == [("VirtualService/web", "spec.http[0].route[1].destination.host",
                             "host 'wroker' is no Service (no shop/wroker in this target)")]
    assert found[0].line == line_of(root, K8S, "host: wroker")


def test_qualified_names_are_looked_up_in_their_namespace(tmp_path: Path) -> None:
    found = run(RULE, tmp_path, {K8S: [SVC, API, NS, vs("worker.backend", "api.shop.svc.cluster.local")]})
    assert [h.message for h in found] == ["host 'worker.backend' is no Service (no backend/worker in this target)",
                                          "host 'api.shop.svc.cluster.local' is no Service (no shop/api in this target)"]


def test_flagger_services_and_external_services_pass(tmp_path: Path) -> None:
    canary = obj("Canary", "web", {"targetRef": {"kind": "Deployment", "name": "web"}})
    assert run(RULE, tmp_path, {K8S: [canary, vs("web-canary", "web-primary", host_list=("web",))]}) == []
    assert run(RULE, tmp_path, {K8S: [vs("legacy")]}, config="lint: {external: {Service: [shop/legacy, worker]}}\n") == []
