"""service.selector: a Service's selector selects the pods of some workload."""

from __future__ import annotations

from collections.abc import Iterator

from mwgen.lint.relations.index import namespace_of
from mwgen.lint.rules.base import Context, Finding, Rule


def check(ctx: Context) -> Iterator[Finding]:
    for index in ctx.targets():
        for svc, selector, chosen in index.services():
            if not chosen:
                labels = ", ".join(f"{k}={v}" for k, v in selector.items())
                yield Finding(f"selector {labels} matches no pods in namespace {namespace_of(svc)}",
                              svc, ("spec", "selector"))


RULE = Rule("service.selector", "a Service that selects no pods has no endpoints", check)
