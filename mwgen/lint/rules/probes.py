"""pod.liveness-and-readiness: long-running containers have both probes."""

from __future__ import annotations

from typing import Iterator

from mwgen.lint.relations.k8s import LONG_RUNNING, containers
from mwgen.lint.rules.base import Context, Finding, Rule


def check(ctx: Context) -> Iterator[Finding]:
    for obj in ctx.objects:
        if obj.kind not in LONG_RUNNING:
            continue
        for path, c, _pod in containers(obj, init=False):
            missing = [p for p in ("livenessProbe", "readinessProbe") if not c.get(p)]
            if missing:
                yield Finding(f"container {c.get('name', '?')!r} has no {' or '.join(missing)}",
                              obj, path)


RULE = Rule("pod.liveness-and-readiness",
            "traffic only reaches ready pods and hung pods are restarted", check)
