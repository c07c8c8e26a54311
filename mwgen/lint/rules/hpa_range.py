"""hpa.min-le-max: an HPA's minReplicas is not above its maxReplicas."""

from __future__ import annotations

from typing import Iterator

from mwgen.lint.relations.k8s import get
from mwgen.lint.rules.base import Context, Finding, Rule


def check(ctx: Context) -> Iterator[Finding]:
    for hpa in ctx.objects:
        if hpa.kind != "HorizontalPodAutoscaler":
            continue
        low, high = get(hpa.data, ("spec", "minReplicas")), get(hpa.data, ("spec", "maxReplicas"))
        low = low if isinstance(low, int) else 1
        if isinstance(high, int) and low > high:
            yield Finding(f"minReplicas {low} is above maxReplicas {high}", hpa, ("spec", "minReplicas"))


RULE = Rule("hpa.min-le-max", "an HPA with minReplicas above maxReplicas cannot scale", check)
