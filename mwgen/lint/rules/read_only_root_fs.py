"""pod.read-only-root-fs: containers write to declared volumes only."""

from __future__ import annotations

from typing import Iterator

from mwgen.lint.relations.k8s import containers, mapping
from mwgen.lint.rules.base import Context, Finding, Rule


def check(ctx: Context) -> Iterator[Finding]:
    for obj in ctx.objects:
        for path, c, _pod in containers(obj):
            if mapping(c.get("securityContext")).get("readOnlyRootFilesystem") is not True:
                yield Finding(f"container {c.get('name', '?')!r} has a writable root filesystem",
                              obj, path + ("securityContext",))


RULE = Rule("pod.read-only-root-fs",
            "an attacker cannot drop tools into the image; writes go to declared volumes", check)
