"""canary.refs: a Flagger Canary's targetRef and autoscalerRef exist."""

from __future__ import annotations

from collections.abc import Iterator

from mwgen.lint.relations.index import namespace_of
from mwgen.lint.relations.k8s import get, mapping
from mwgen.lint.rules.base import Context, Finding, Rule


def check(ctx: Context) -> Iterator[Finding]:
    for index in ctx.targets():
        for canary in index.of_kind("Canary"):
            ns = namespace_of(canary)
            for field, default in (("targetRef", "Deployment"), ("autoscalerRef", "HorizontalPodAutoscaler")):
                ref = mapping(get(canary.data, ("spec", field)))
                kind, name = str(ref.get("kind", default)), ref.get("name")
                if name and not index.get(kind, ns, str(name)):
                    yield Finding(f"{field} {kind}/{name} does not exist in namespace {ns}",
                                  canary, ("spec", field, "name"))


RULE = Rule("canary.refs", "Flagger cannot analyse a canary whose target or autoscaler is missing",
            check)
