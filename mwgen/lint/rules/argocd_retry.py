"""argocd.retry: automated syncs retry.

Without ``syncPolicy.retry`` a sync that fails once (a CRD not yet established, a webhook
not yet ready) stays failed until the next commit.
"""

from __future__ import annotations

from typing import Iterator

from mwgen.lint.relations.k8s import get
from mwgen.lint.rules.base import Context, Finding, Rule


def check(ctx: Context) -> Iterator[Finding]:
    for obj in ctx.objects:
        at = {"Application": ("spec",), "ApplicationSet": ("spec", "template", "spec")}.get(obj.kind)
        if at is None:
            continue
        policy = get(obj.data, at + ("syncPolicy",))
        if isinstance(get(policy, ("automated",)), dict) and not get(policy, ("retry",)):
            yield Finding("automated sync without syncPolicy.retry", obj, at + ("syncPolicy",))


RULE = Rule("argocd.retry", "a failed automated sync is not retried until the next commit", check)
