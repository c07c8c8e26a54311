"""pod.run-as-non-root: every container runs as a non-root user."""

from __future__ import annotations

from typing import Iterator

from mwgen.lint.relations.k8s import containers, mapping
from mwgen.lint.rules.base import Context, Finding, Rule


def check(ctx: Context) -> Iterator[Finding]:
    for obj in ctx.objects:
        for path, c, pod in containers(obj):
            sc, psc = mapping(c.get("securityContext")), mapping(pod.get("securityContext"))
            non_root = sc.get("runAsNonRoot", psc.get("runAsNonRoot"))
            user = sc.get("runAsUser", psc.get("runAsUser"))
            if non_root is not True or user == 0:
                yield Finding(f"container {c.get('name', '?')!r} may run as root "
                              f"(set runAsNonRoot: true, runAsUser > 0)", obj, path + ("securityContext",))


RULE = Rule("pod.run-as-non-root", "a container escape as root owns the node", check)
