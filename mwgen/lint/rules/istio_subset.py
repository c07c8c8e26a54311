"""istio.subset: every DestinationRule subset's labels match some pod of its host."""

from __future__ import annotations

from collections.abc import Iterator

from mwgen.lint.relations.index import namespace_of
from mwgen.lint.relations.istio import service_of
from mwgen.lint.relations.k8s import get, items, mapping, selects
from mwgen.lint.rules.base import Context, Finding, Rule


def check(ctx: Context) -> Iterator[Finding]:
    for index in ctx.targets():
        for dr in index.of_kind("DestinationRule"):
            svc = service_of(str(get(dr.data, ("spec", "host")) or ""), namespace_of(dr), index)
            if svc is None:
                continue
            service = index.get("Service", *svc)
            selector = mapping(get(service.data, ("spec", "selector"))) if service else {}
            pods = index.select(svc[0], selector) if selector else index.pods_in(svc[0])
            if selector and not pods:
                continue  # service.selector reports it
            for i, subset in enumerate(items(get(dr.data, ("spec", "subsets")))):
                labels = mapping(mapping(subset).get("labels"))
                if labels and not any(selects(labels, p.labels) for p in pods):
                    text = ", ".join(f"{k}={v}" for k, v in labels.items())
                    yield Finding(f"subset {mapping(subset).get('name')!r} ({text}) matches no pod of "
                                  f"{svc[0]}/{svc[1]}", dr, ("spec", "subsets", i, "labels"))


RULE = Rule("istio.subset", "traffic sent to a subset with no pods fails (503 no healthy upstream)",
            check)
