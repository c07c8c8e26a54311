"""canary.metric-template: every analysis metric's templateRef names a MetricTemplate."""

from __future__ import annotations

from collections.abc import Iterator

from mwgen.lint.relations.index import namespace_of
from mwgen.lint.relations.k8s import get, items, mapping
from mwgen.lint.rules.base import Context, Finding, Rule


def check(ctx: Context) -> Iterator[Finding]:
    for index in ctx.targets():
        for canary in index.of_kind("Canary"):
            for i, metric in enumerate(items(get(canary.data, ("spec", "analysis", "metrics")))):
                ref = mapping(mapping(metric).get("templateRef"))
                if not ref.get("name"):
                    continue
                ns = str(ref.get("namespace") or namespace_of(canary))
                name = str(ref["name"])
                if not index.get("MetricTemplate", ns, name) and not ctx.is_external("MetricTemplate", name, ns):
                    yield Finding(f"templateRef {ns}/{name} is no MetricTemplate of this target",
                                  canary, ("spec", "analysis", "metrics", i, "templateRef"))


RULE = Rule("canary.metric-template", "an analysis on a missing MetricTemplate fails every step",
            check)
