"""hpa.target: an HPA's scaleTargetRef names a workload in the target."""

from __future__ import annotations

from collections.abc import Iterator

from mwgen.lint.relations.index import namespace_of
from mwgen.lint.relations.k8s import get, mapping
from mwgen.lint.rules.base import Context, Finding, Rule


def check(ctx: Context) -> Iterator[Finding]:
    for index in ctx.targets():
        for hpa in index.of_kind("HorizontalPodAutoscaler"):
            ref = mapping(get(hpa.data, ("spec", "scaleTargetRef")))
            kind, name = str(ref.get("kind", "")), str(ref.get("name", ""))
            if name and not index.exists(kind, namespace_of(hpa), name):
                yield Finding(f"scaleTargetRef {kind}/{name} does not exist in namespace "
                              f"{namespace_of(hpa)}", hpa, ("spec", "scaleTargetRef", "name"))


RULE = Rule("hpa.target", "an HPA whose target does not exist scales nothing", check)
