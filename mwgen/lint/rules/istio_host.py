"""istio.host: VirtualService hosts and route destinations resolve to Services."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mwgen.lint.relations.index import TargetIndex, namespace_of
from mwgen.lint.relations.istio import service_of
from mwgen.lint.relations.k8s import get, items, mapping
from mwgen.lint.rules.base import Context, Finding, Rule
from mwgen.lint.tree import KubeObject


def hosts(vs: KubeObject) -> Iterator[tuple[tuple[Any, ...], str]]:
    for i, host in enumerate(items(get(vs.data, ("spec", "hosts")))):
        yield ("spec", "hosts", i), str(host)
    for proto in ("http", "tcp", "tls"):
        for i, route in enumerate(items(get(vs.data, ("spec", proto)))):
            for j, dest in enumerate(items(mapping(route).get("route"))):
                host = get(dest, ("destination", "host"))
                if host:
                    yield ("spec", proto, i, "route", j, "destination", "host"), str(host)


def missing(ctx: Context, index: TargetIndex, host: str, ns: str) -> tuple[str, str] | None:
    svc = service_of(host, ns, index)
    if svc is None or index.exists("Service", svc[0], svc[1]) or ctx.is_external("Service", svc[1], svc[0]):
        return None
    return svc


def check(ctx: Context) -> Iterator[Finding]:
    for index in ctx.targets():
        for vs in index.of_kind("VirtualService"):
            for path, host in hosts(vs):
                gone = missing(ctx, index, host, namespace_of(vs))
                if gone:
                    yield Finding(f"host {host!r} is no Service (no {gone[0]}/{gone[1]} in this target)",
                                  vs, path)


RULE = Rule("istio.host", "Istio routes a host that is no Service nowhere", check)
