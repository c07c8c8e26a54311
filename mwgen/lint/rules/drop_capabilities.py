"""pod.drop-all-capabilities: every container drops ALL Linux capabilities."""

from __future__ import annotations

from typing import Iterator

from mwgen.lint.relations.k8s import containers, get, mapping
from mwgen.lint.rules.base import Context, Finding, Rule


def check(ctx: Context) -> Iterator[Finding]:
    for obj in ctx.objects:
        for path, c, _pod in containers(obj):
            sc = mapping(c.get("securityContext"))
            if "ALL" not in (get(sc, ("capabilities", "drop")) or []):
                yield Finding(f"container {c.get('name', '?')!r} does not drop ALL capabilities",
                              obj, path + ("securityContext",))


RULE = Rule("pod.drop-all-capabilities",
            "containers get no Linux capabilities they did not ask for", check)
