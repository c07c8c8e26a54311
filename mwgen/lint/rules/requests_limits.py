"""pod.requests-and-limits: cpu and memory requests and limits on every container."""

from __future__ import annotations

from typing import Iterator

from mwgen.lint.relations.k8s import containers, get
from mwgen.lint.rules.base import Context, Finding, Rule


def check(ctx: Context) -> Iterator[Finding]:
    for obj in ctx.objects:
        for path, c, _pod in containers(obj):
            missing = [f"{kind}.{res}" for kind in ("requests", "limits") for res in ("cpu", "memory")
                       if get(c, ("resources", kind, res)) in (None, "")]
            if missing:
                yield Finding(f"container {c.get('name', '?')!r} sets no {', '.join(missing)}",
                              obj, path + ("resources",))


RULE = Rule("pod.requests-and-limits",
            "the scheduler and the HPA need requests; limits stop one pod starving a node", check)
