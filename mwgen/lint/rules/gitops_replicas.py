"""gitops.replicas: git does not own the replicas of a workload an HPA or Flagger scales.

When an Argo CD Application syncs a Deployment that carries ``spec.replicas`` while an
HPA (or a Flagger Canary) changes that number, Argo CD sees drift and, with self-heal,
undoes the scaling. Drop ``spec.replicas`` from the manifest or add an
``ignoreDifferences`` entry for ``/spec/replicas`` to every Application that syncs it.
"""

from __future__ import annotations

from collections.abc import Iterator

from mwgen.lint.relations.index import namespace_of
from mwgen.lint.relations.k8s import get
from mwgen.lint.rules.base import Context, Finding, Rule

SCALABLE = ("Deployment", "StatefulSet", "ReplicaSet")


def check(ctx: Context) -> Iterator[Finding]:
    argo = ctx.argocd()
    for index in ctx.targets():
        for wl in index.of_kind(*SCALABLE):
            if get(wl.data, ("spec", "replicas")) is None:
                continue
            ns = namespace_of(wl)
            by = index.hpa_for(wl.kind, ns, wl.name) or index.canary_targeting(wl.kind, ns, wl.name)
            manager = by.ident if by is not None else None
            if manager is None:
                continue
            fighting = [a.name for a in argo.owners_of(wl.file.rel)
                        if not a.ignores("apps", wl.kind, wl.name, ns, "/spec/replicas")]
            if fighting:
                yield Finding(f"spec.replicas is owned by git (Application {', '.join(sorted(set(fighting)))}) "
                              f"while {manager} scales it; drop it or ignoreDifferences /spec/replicas",
                              wl, ("spec", "replicas"))


RULE = Rule("gitops.replicas", "Argo CD and the autoscaler fight over replicas", check)
