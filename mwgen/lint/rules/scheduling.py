"""pod.tolerates-node-group: pods tolerate the taints of some node group of their target.

Node groups are the ``aws_eks_node_group`` resources the rendered Terraform creates for
the target's environment and region (see :mod:`mwgen.lint.relations.terraform`), with
their ``taint`` blocks (``dynamic`` ones too) and ``labels``. A pod can land on a group
when it tolerates every NoSchedule/NoExecute taint of it and its ``nodeSelector`` agrees
with the group's labels. Targets without node groups in the tree are not checked; a group
whose taints cannot be evaluated counts as schedulable.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mwgen.lint.relations.k8s import items, mapping, pod_spec_path
from mwgen.lint.relations.terraform import UNKNOWN, Instance
from mwgen.lint.rules.base import Context, Finding, Rule

EFFECTS = {"NO_SCHEDULE": "NoSchedule", "NO_EXECUTE": "NoExecute", "PREFER_NO_SCHEDULE": "PreferNoSchedule"}
Taint = tuple[Any, Any, Any]


def taints(group: Instance) -> list[Taint] | None:
    """(key, value, effect) of a node group, or None when any part is unknown."""
    out = []
    for block in group.blocks("taint"):
        key, value, effect = block.value("key"), block.value("value"), block.value("effect")
        if UNKNOWN in (key, value, effect):
            return None
        out.append((key, value, EFFECTS.get(str(effect), effect)))
    return out


def tolerated(taint: Taint, tolerations: list[Any]) -> bool:
    key, value, effect = taint
    for tol in tolerations:
        tol = mapping(tol)
        if tol.get("effect") and tol.get("effect") != effect:
            continue
        if tol.get("operator") == "Exists":
            if not tol.get("key") or tol.get("key") == key:
                return True
        elif tol.get("key") == key and str(tol.get("value", "")) == str(value or ""):
            return True
    return False


def fits(group: Instance, group_taints: list[Taint], spec: dict[str, Any]) -> bool:
    tolerations = items(spec.get("tolerations"))
    if not all(tolerated(t, tolerations) for t in group_taints if t[2] in ("NoSchedule", "NoExecute")):
        return False
    labels = group.value("labels")
    if isinstance(labels, dict):
        for k, v in mapping(spec.get("nodeSelector")).items():
            if k in labels and labels[k] is not UNKNOWN and str(labels[k]) != str(v):
                return False
    return True


def describe(group: Instance, group_taints: list[Taint]) -> str:
    name = group.value("node_group_name")
    name = name if isinstance(name, str) else group.name
    text = ", ".join(f"{k}={v}:{e}" for k, v, e in group_taints) or "no taints"
    return f"{name} ({text})"


def check(ctx: Context) -> Iterator[Finding]:
    groups = ctx.terraform().resources("aws_eks_node_group")
    for index in ctx.targets():
        mine = [g for g in groups if index.env and g.env == index.env and g.region == index.region]
        known = [(g, taints(g)) for g in mine]
        if not mine or any(t is None for _g, t in known):
            continue
        for pods in index.pods:
            if pods.generated:
                continue
            if not any(fits(g, t or [], pods.spec) for g, t in known):
                base = pod_spec_path(pods.workload) or ()
                groups_text = "; ".join(describe(g, t or []) for g, t in known)
                yield Finding(f"pods tolerate no node group of {index.target}: {groups_text}",
                              pods.workload, base + ("tolerations",))


RULE = Rule("pod.tolerates-node-group",
            "a pod that tolerates no node group's taints stays Pending", check)
