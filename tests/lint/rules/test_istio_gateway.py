"""istio.gateway: gateways of VirtualServices and Canaries exist in the target or are external."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mwgen.lint.rules.istio_gateway import RULE, gateways
from mwgen.lint.tree import OutputTree
from tests.lint.rules.kit import K8S, check, line_of, obj, project, run, where

GATEWAY = obj("Gateway", "public", {"selector": {"istio": "ingressgateway"}}, ns="istio-system")


def vs(*gws: str, match: list[str] | None = None) -> dict[str, Any]:
    http: dict[str, Any] = {"route": [{"destination": {"host": "web"}}]}
    if match is not None:
        http["match"] = [{"uri": {"prefix": "/"}}, {"gateways": match}]
    return obj("VirtualService", "web", {"hosts": ["web"], "gateways": list(gws), "http": [http]})


def test_gateways_lists_every_place_a_gateway_is_named(tmp_path: Path) -> None:
    canary = obj("Canary", "web", {"service": {"port": 80, "gateways": ["public"]}})
    root = project(tmp_path, {K8S: [vs("a", "b", match=["c"]), canary]})
    found = [list(gateways(o)) for o in OutputTree.scan(root).kube_objects()]
    assert found == [
        [(("spec", "gateways", 0), "a"), (("spec", "gateways", 1), "b"),
         (("spec", "http", 0, "match", 1, "gateways", 0), "c")],
        [(("spec", "service", "gateways", 0), "public")],
    ]


def test_existing_gateways_and_the_mesh_pass(tmp_path: Path) -> None:
    assert run(RULE, tmp_path, {K8S: [GATEWAY, vs("istio-system/public", "mesh", match=["istio-system/public"])]}) == []


def test_a_missing_gateway_is_located_where_it_is_named(tmp_path: Path) -> None:
    root = project(tmp_path, {K8S: [GATEWAY, vs("mesh", "istio-system/private")]})
    found = check(RULE, root)
    assert where(found) == [("VirtualService/web", "spec.gateways[1]",
                             "gateway istio-system/private is not in this target and not declared external "
                             "(lint.external.Gateway)")]
    assert found[0].line == line_of(root, K8S, "istio-system/private")


def test_a_short_name_is_in_the_routes_namespace(tmp_path: Path) -> None:
    found = run(RULE, tmp_path, {K8S: [GATEWAY, vs("public", match=["public"])]})
    assert [(h.path, h.message.split(" is not")[0]) for h in found] == [
        ("spec.gateways[0]", "gateway shop/public"), ("spec.http[0].match[1].gateways[0]", "gateway shop/public")]


def test_canary_gateways_are_checked(tmp_path: Path) -> None:
    canary = obj("Canary", "web", {"service": {"port": 80, "gateways": ["istio-system/public", "edge/x"]}})
    assert [h.path for h in run(RULE, tmp_path, {K8S: [GATEWAY, canary]})] == ["spec.service.gateways[1]"]


def test_external_gateways_pass(tmp_path: Path) -> None:
    config = "lint: {external: {Gateway: [istio-system/private, shop-gw]}}\n"
    assert run(RULE, tmp_path, {K8S: [vs("istio-system/private", "shop-gw")]}, config=config) == []
