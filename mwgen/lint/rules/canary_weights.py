"""canary.weights: Flagger reaches maxWeight (<= 100) in whole stepWeight steps."""

from __future__ import annotations

from typing import Iterator

from mwgen.lint.relations.k8s import get, mapping
from mwgen.lint.rules.base import Context, Finding, Rule


def check(ctx: Context) -> Iterator[Finding]:
    for canary in ctx.objects:
        if canary.kind != "Canary":
            continue
        analysis = mapping(get(canary.data, ("spec", "analysis")))
        top, step = analysis.get("maxWeight"), analysis.get("stepWeight")
        if not isinstance(top, int) or not isinstance(step, int):
            continue
        where = ("spec", "analysis", "maxWeight")
        if top > 100:
            yield Finding(f"maxWeight {top} is above 100", canary, where)
        if step <= 0:
            yield Finding(f"stepWeight {step} must be positive", canary, ("spec", "analysis", "stepWeight"))
        elif top % step:
            yield Finding(f"maxWeight {top} is not reachable in steps of {step}", canary, where)


RULE = Rule("canary.weights", "Flagger must reach maxWeight (<= 100) in whole stepWeight steps", check)
