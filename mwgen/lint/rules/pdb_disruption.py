"""pdb.allows-disruption: a PDB leaves room to evict at least one pod.

Flagger's ``-primary`` pods count as the workload's (its primary HPA copies the
workload's). The floor is the workload's HPA ``minReplicas`` (the HPA found by ``scaleTargetRef`` in
the same target and namespace), else its ``spec.replicas``.
"""

from __future__ import annotations

from collections.abc import Iterator

from mwgen.lint.relations.index import TargetIndex, namespace_of
from mwgen.lint.relations.k8s import get, mapping
from mwgen.lint.rules.base import Context, Finding, Rule
from mwgen.lint.tree import KubeObject


def floor(index: TargetIndex, workload: KubeObject) -> tuple[int, str]:
    """The fewest replicas a workload runs: its HPA's minReplicas, else spec.replicas."""
    hpa = index.hpa_for(workload.kind, namespace_of(workload), workload.name)
    if hpa is not None:
        value = get(hpa.data, ("spec", "minReplicas"))
        return (value if isinstance(value, int) else 1), "HPA minReplicas"
    replicas = get(workload.data, ("spec", "replicas"))
    return (replicas if isinstance(replicas, int) else 1), "replicas"


def check(ctx: Context) -> Iterator[Finding]:
    for index in ctx.targets():
        for pdb in index.of_kind("PodDisruptionBudget"):
            selector = mapping(get(pdb.data, ("spec", "selector", "matchLabels")))
            for pods in index.select(namespace_of(pdb), selector):
                low, what = floor(index, pods.workload)
                min_available = get(pdb.data, ("spec", "minAvailable"))
                max_unavailable = get(pdb.data, ("spec", "maxUnavailable"))
                if (isinstance(min_available, int) and min_available >= low) or min_available == "100%":
                    why = f"minAvailable {min_available} vs {what} {low}"
                elif max_unavailable in (0, "0%"):
                    why = f"maxUnavailable {max_unavailable}"
                else:
                    continue
                yield Finding(f"PDB allows no disruption of {pods.workload.ident}: {why}", pdb, ("spec",))


RULE = Rule("pdb.allows-disruption", "a PDB that needs every replica blocks node drains and upgrades",
            check)
