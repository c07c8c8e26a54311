"""service.ports: each targetPort is a container port (by name or number) of the pods."""

from __future__ import annotations

from typing import Any, Iterator

from mwgen.lint.relations.index import Pods, namespace_of
from mwgen.lint.relations.k8s import get, items, mapping
from mwgen.lint.rules.base import Context, Finding, Rule


def container_ports(pods: Pods) -> set[Any]:
    out: set[Any] = set()
    for c in items(pods.spec.get("containers")):
        for port in items(mapping(c).get("ports")):
            port = mapping(port)
            out.update(v for v in (port.get("name"), port.get("containerPort"))
                       if isinstance(v, (str, int)))
    return out


def check(ctx: Context) -> Iterator[Finding]:
    for index in ctx.targets():
        for svc in index.of_kind("Service"):
            selector = mapping(get(svc.data, ("spec", "selector")))
            if not selector or svc.file.target != index.target:
                continue
            chosen = index.select(namespace_of(svc), selector)
            if not chosen:
                continue  # service.selector reports it
            known: set[Any] = set().union(*(container_ports(p) for p in chosen))
            for i, port in enumerate(items(get(svc.data, ("spec", "ports")))):
                port = mapping(port)
                want = port.get("targetPort", port.get("port"))
                if isinstance(want, (str, int)) and want not in known:
                    names = ", ".join(sorted(str(k) for k in known)) or "none"
                    yield Finding(f"targetPort {want!r} is no container port of "
                                  f"{', '.join(p.ident for p in chosen)} (ports: {names})",
                                  svc, ("spec", "ports", i, "targetPort" if "targetPort" in port else "port"))


RULE = Rule("service.ports", "traffic to a port no container listens on is refused", check)
