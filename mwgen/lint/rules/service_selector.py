"""service.selector: a Service's selector selects the pods of some workload."""

from __future__ import annotations

from typing import Iterator

from mwgen.lint.relations.index import namespace_of
from mwgen.lint.relations.k8s import get, mapping
from mwgen.lint.rules.base import Context, Finding, Rule


def check(ctx: Context) -> Iterator[Finding]:
    for index in ctx.targets():
        for svc in index.of_kind("Service"):
            selector = mapping(get(svc.data, ("spec", "selector")))
            if not selector or svc.file.target != index.target:
                continue
            if not index.select(namespace_of(svc), selector):
                labels = ", ".join(f"{k}={v}" for k, v in selector.items())
                yield Finding(f"selector {labels} matches no pods in namespace {namespace_of(svc)}",
                              svc, ("spec", "selector"))


RULE = Rule("service.selector", "a Service that selects no pods has no endpoints", check)
