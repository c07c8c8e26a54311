"""gitops.flagger-owned: git does not self-heal what Flagger generates.

Flagger creates and rewrites the apex Service, ``-primary``/``-canary`` Services, the
primary Deployment and HPA and, with Istio, the canary's VirtualService and
DestinationRules (see :mod:`mwgen.lint.relations.index`). The same object in a folder an
Argo CD Application syncs with ``selfHeal`` is reverted after every Flagger change.
"""

from __future__ import annotations

from collections.abc import Iterator

from mwgen.lint.rules.base import Context, Finding, Rule


def check(ctx: Context) -> Iterator[Finding]:
    argo = ctx.argocd()
    for index in ctx.targets():
        for key, canary in index.generated.items():
            obj = index.by_key.get(key)
            if obj is None:
                continue
            healing = sorted({a.name for a in argo.owners_of(obj.file.rel) if a.self_heal})
            if healing:
                yield Finding(f"Flagger generates this object for {canary.ident}, and Application "
                              f"{', '.join(healing)} self-heals it from git", obj, ("metadata", "name"))


RULE = Rule("gitops.flagger-owned", "Argo CD self-heal and Flagger overwrite each other's changes",
            check)
