"""istio.gateway: gateways named by VirtualServices and Canaries exist or are external.

Declare a gateway installed outside the tree in ``mwgen.yaml``::

    lint: {external: {Gateway: [istio-system/public-gateway]}}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mwgen.lint.relations.index import namespace_of
from mwgen.lint.relations.k8s import get, items, mapping
from mwgen.lint.rules.base import Context, Finding, Rule
from mwgen.lint.tree import KubeObject


def gateways(obj: KubeObject) -> Iterator[tuple[tuple[Any, ...], str]]:
    if obj.kind == "Canary":
        for i, gw in enumerate(items(get(obj.data, ("spec", "service", "gateways")))):
            yield ("spec", "service", "gateways", i), str(gw)
        return
    for i, gw in enumerate(items(get(obj.data, ("spec", "gateways")))):
        yield ("spec", "gateways", i), str(gw)
    for i, route in enumerate(items(get(obj.data, ("spec", "http")))):
        for j, match in enumerate(items(mapping(route).get("match"))):
            for k, gw in enumerate(items(mapping(match).get("gateways"))):
                yield ("spec", "http", i, "match", j, "gateways", k), str(gw)


def check(ctx: Context) -> Iterator[Finding]:
    for index in ctx.targets():
        for obj in index.of_kind("VirtualService", "Canary"):
            for path, gw in gateways(obj):
                if gw == "mesh":
                    continue
                ns, _, name = gw.rpartition("/")
                ns = ns or namespace_of(obj)
                if not index.get("Gateway", ns, name) and not ctx.is_external("Gateway", name, ns):
                    yield Finding(f"gateway {ns}/{name} is not in this target and not declared "
                                  f"external (lint.external.Gateway)", obj, path)


RULE = Rule("istio.gateway", "a route bound to a missing gateway receives no traffic", check)
