"""pod.no-privilege-escalation: allowPrivilegeEscalation false, never privileged."""

from __future__ import annotations

from typing import Iterator

from mwgen.lint.relations.k8s import containers, mapping
from mwgen.lint.rules.base import Context, Finding, Rule


def check(ctx: Context) -> Iterator[Finding]:
    for obj in ctx.objects:
        for path, c, _pod in containers(obj):
            sc = mapping(c.get("securityContext"))
            if sc.get("allowPrivilegeEscalation") is not False or sc.get("privileged") is True:
                yield Finding(f"container {c.get('name', '?')!r} allows privilege escalation "
                              f"(set allowPrivilegeEscalation: false, no privileged)",
                              obj, path + ("securityContext",))


RULE = Rule("pod.no-privilege-escalation",
            "setuid binaries must not gain more privileges than the process", check)
