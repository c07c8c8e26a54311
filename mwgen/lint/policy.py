"""Policy rules from the MindWeave deployment strategy (MW-ENG-070), as data.

Each rule has an id, a one-line reason and whether it can be waived. A waiver is an
annotation on the object the finding is about, with a written reason::

    metadata:
      annotations:
        mwgen.io/waive: "MW-POL-004=legacy image writes to /var/cache; MW-POL-007=pinned by digest upstream"

A waiver without a reason, for an unknown rule, or for a rule that cannot be waived is a
finding itself (MW-POL-013), so a waiver always documents why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from mwgen.errors import Problem
from mwgen.lint.tree import KubeObject, OutputTree
from mwgen.errors import format_path

WAIVE_ANNOTATION = "mwgen.io/waive"
ENV_LABEL = "mwgen.io/env"
DEV_ENVS = frozenset({"dev"})


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    reason: str
    waivable: bool = True


RULES: dict[str, Rule] = {r.id: r for r in (
    Rule("MW-POL-001", "run-as-non-root", "a container escape as root owns the node"),
    Rule("MW-POL-002", "drop-all-capabilities", "containers get no Linux capabilities they did not ask for"),
    Rule("MW-POL-003", "no-privilege-escalation", "setuid binaries must not gain more privileges than the process"),
    Rule("MW-POL-004", "read-only-root-fs", "an attacker cannot drop tools into the image; writes go to declared volumes"),
    Rule("MW-POL-005", "requests-and-limits", "the scheduler and the HPA need requests; limits stop one pod starving a node"),
    Rule("MW-POL-006", "liveness-and-readiness", "traffic only reaches ready pods and hung pods are restarted"),
    Rule("MW-POL-007", "pinned-image", "outside dev an image tag must say exactly what runs; latest/untagged drifts"),
    Rule("MW-POL-008", "pdb-below-min-replicas", "a PDB that needs every replica blocks node drains and upgrades"),
    Rule("MW-POL-009", "hpa-min-le-max", "an HPA with minReplicas above maxReplicas cannot scale"),
    Rule("MW-POL-010", "canary-weights", "Flagger must reach maxWeight (<= 100) in whole stepWeight steps"),
    Rule("MW-POL-011", "secrets-from-secret-refs", "credentials in plain env values leak through git, kubectl and logs"),
    Rule("MW-POL-012", "eu-data-own-primary", "EU data sovereignty: the eu-data region keeps its own primary database",
         waivable=False),
    Rule("MW-POL-013", "waiver-has-reason", "a waiver must name a known, waivable rule and say why", waivable=False),
)}

Finding = tuple[KubeObject, tuple[Any, ...], str, str]  # object, path, rule id, message

POD_SPEC = {
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
    "Pod": ("spec",),
}
LONG_RUNNING = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"}
SECRET_NAME = re.compile(r"(^|_)(SECRET|PASSWORD|PASSWD|TOKEN|KEY)S?(_|$)", re.IGNORECASE)


def check(tree: OutputTree, objects: list[KubeObject]) -> list[Problem]:
    findings: list[Finding] = []
    for rule_check in CHECKS:
        findings.extend(rule_check(objects))
    waivers: dict[int, set[str]] = {}
    for obj in objects:
        valid, bad = parse_waivers(obj)
        waivers[id(obj)] = valid
        findings.extend(bad)
    return [tree.problem(obj.file, f"{obj.ident}: {message}", path=format_path(path),
                         rule=rule_id, line=obj.doc.position(path)[0],
                         column=obj.doc.position(path)[1])
            for obj, path, rule_id, message in findings
            if rule_id not in waivers.get(id(obj), set())]


def parse_waivers(obj: KubeObject) -> tuple[set[str], list[Finding]]:
    """(rule ids validly waived on ``obj``, findings about malformed waivers)."""
    meta = obj.data.get("metadata")
    annotations = meta.get("annotations") if isinstance(meta, dict) else None
    text = annotations.get(WAIVE_ANNOTATION) if isinstance(annotations, dict) else None
    if text is None:
        return set(), []
    path = ("metadata", "annotations", WAIVE_ANNOTATION)
    valid: set[str] = set()
    bad: list[Finding] = []
    for entry in str(text).split(";"):
        if not entry.strip():
            continue
        rule_id, sep, reason = (s.strip() for s in entry.partition("="))
        rule = RULES.get(rule_id)
        if rule is None:
            bad.append((obj, path, "MW-POL-013", f"waiver for unknown rule {rule_id!r}"))
        elif not rule.waivable:
            bad.append((obj, path, "MW-POL-013", f"{rule_id} ({rule.name}) cannot be waived"))
        elif not sep or not reason:
            bad.append((obj, path, "MW-POL-013",
                        f"waiver of {rule_id} gives no reason (write {rule_id}=why)"))
        else:
            valid.add(rule_id)
    return valid, bad


# ----------------------------------------------------------------------------- containers

def _get(data: Any, path: Iterable[Any]) -> Any:
    for part in path:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _containers(obj: KubeObject, *, init: bool = True) -> Iterator[tuple[tuple[Any, ...], dict, dict]]:
    """(path, container, pod spec) for every container of a workload."""
    base = POD_SPEC.get(obj.kind)
    pod = _get(obj.data, base) if base else None
    if not isinstance(pod, dict):
        return
    for field in ("initContainers", "containers") if init else ("containers",):
        for i, c in enumerate(pod.get(field) or []):
            if isinstance(c, dict):
                yield base + (field, i), c, pod  # type: ignore[operator]


def _security(objects: list[KubeObject]) -> Iterator[Finding]:
    for obj in objects:
        for path, c, pod in _containers(obj):
            sc = _mapping(c.get("securityContext"))
            psc = _mapping(pod.get("securityContext"))
            where = path + ("securityContext",)
            name = c.get("name", "?")
            non_root = sc.get("runAsNonRoot", psc.get("runAsNonRoot"))
            user = sc.get("runAsUser", psc.get("runAsUser"))
            if non_root is not True or user == 0:
                yield (obj, where, "MW-POL-001",
                       f"container {name!r} may run as root (set runAsNonRoot: true, runAsUser > 0)")
            drop = _get(sc, ("capabilities", "drop")) or []
            if "ALL" not in drop:
                yield (obj, where, "MW-POL-002", f"container {name!r} does not drop ALL capabilities")
            if sc.get("allowPrivilegeEscalation") is not False or sc.get("privileged") is True:
                yield (obj, where, "MW-POL-003",
                       f"container {name!r} allows privilege escalation "
                       f"(set allowPrivilegeEscalation: false, no privileged)")
            if sc.get("readOnlyRootFilesystem") is not True:
                yield (obj, where, "MW-POL-004",
                       f"container {name!r} has a writable root filesystem")


def _resources(objects: list[KubeObject]) -> Iterator[Finding]:
    for obj in objects:
        for path, c, _pod in _containers(obj):
            missing = [f"{kind}.{res}" for kind in ("requests", "limits") for res in ("cpu", "memory")
                       if _get(c, ("resources", kind, res)) in (None, "")]
            if missing:
                yield (obj, path + ("resources",), "MW-POL-005",
                       f"container {c.get('name', '?')!r} sets no {', '.join(missing)}")


def _probes(objects: list[KubeObject]) -> Iterator[Finding]:
    for obj in objects:
        if obj.kind not in LONG_RUNNING:
            continue
        for path, c, _pod in _containers(obj, init=False):
            missing = [p for p in ("livenessProbe", "readinessProbe") if not c.get(p)]
            if missing:
                yield (obj, path, "MW-POL-006",
                       f"container {c.get('name', '?')!r} has no {' or '.join(missing)}")


def environment(obj: KubeObject) -> str:
    """The object's environment: label ``mwgen.io/env``, else from its output path."""
    labels = _get(obj.data, ("metadata", "labels"))
    if isinstance(labels, dict) and labels.get(ENV_LABEL):
        return str(labels[ENV_LABEL])
    return obj.file.env


def image_problem(image: str) -> str | None:
    """Why ``image`` is not pinned, or None. A digest always pins."""
    if "@" in image:
        return None
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return f"image {image!r} has no tag"
    if last.rsplit(":", 1)[1] == "latest":
        return f"image {image!r} uses the latest tag"
    return None


def _images(objects: list[KubeObject]) -> Iterator[Finding]:
    for obj in objects:
        if environment(obj) in DEV_ENVS:
            continue
        for path, c, _pod in _containers(obj):
            why = image_problem(str(c.get("image", "")))
            if why:
                yield (obj, path + ("image",), "MW-POL-007", f"{why} outside dev")


def _secret_env(objects: list[KubeObject]) -> Iterator[Finding]:
    for obj in objects:
        for path, c, _pod in _containers(obj):
            for i, var in enumerate(c.get("env") or []):
                if not isinstance(var, dict) or not SECRET_NAME.search(str(var.get("name", ""))):
                    continue
                if not _get(var, ("valueFrom", "secretKeyRef")):
                    yield (obj, path + ("env", i), "MW-POL-011",
                           f"env {var.get('name')} looks like a credential but is not "
                           f"from valueFrom.secretKeyRef")


# ----------------------------------------------------------------------------- cross-object

def _scope(obj: KubeObject) -> tuple[str, str]:
    return obj.file.group_dir, obj.namespace


def _workloads(objects: list[KubeObject]) -> dict[tuple[str, str, str], KubeObject]:
    return {_scope(o) + (o.name,): o for o in objects if o.kind in LONG_RUNNING}


def _min_replicas(objects: list[KubeObject], target: KubeObject) -> tuple[int, str] | None:
    """The floor of a workload's replicas: its HPA's minReplicas, else spec.replicas."""
    for hpa in objects:
        ref = _get(hpa.data, ("spec", "scaleTargetRef")) or {}
        if (hpa.kind == "HorizontalPodAutoscaler" and _scope(hpa) == _scope(target)
                and ref.get("kind") == target.kind and ref.get("name") == target.name):
            value = _get(hpa.data, ("spec", "minReplicas"))
            return (value if isinstance(value, int) else 1), "HPA minReplicas"
    replicas = _get(target.data, ("spec", "replicas"))
    return (replicas if isinstance(replicas, int) else 1), "replicas"


def _pdbs(objects: list[KubeObject]) -> Iterator[Finding]:
    workloads = _workloads(objects)
    for pdb in objects:
        if pdb.kind != "PodDisruptionBudget":
            continue
        selector = _get(pdb.data, ("spec", "selector", "matchLabels")) or {}
        for key, wl in workloads.items():
            labels = _get(wl.data, ("spec", "template", "metadata", "labels")) or {}
            if key[:2] != _scope(pdb) or not selector or not isinstance(labels, dict) \
                    or any(labels.get(k) != v for k, v in selector.items()):
                continue
            floor = _min_replicas(objects, wl)
            min_available = _get(pdb.data, ("spec", "minAvailable"))
            max_unavailable = _get(pdb.data, ("spec", "maxUnavailable"))
            if floor is None:
                continue
            if (isinstance(min_available, int) and min_available >= floor[0]) \
                    or min_available == "100%" or max_unavailable in (0, "0%"):
                yield (pdb, ("spec",), "MW-POL-008",
                       f"PDB allows no disruption of {wl.ident}: minAvailable "
                       f"{min_available} vs {floor[1]} {floor[0]}")


def _hpas(objects: list[KubeObject]) -> Iterator[Finding]:
    for hpa in objects:
        if hpa.kind != "HorizontalPodAutoscaler":
            continue
        low = _get(hpa.data, ("spec", "minReplicas"))
        high = _get(hpa.data, ("spec", "maxReplicas"))
        low = low if isinstance(low, int) else 1
        if isinstance(high, int) and low > high:
            yield (hpa, ("spec", "minReplicas"), "MW-POL-009",
                   f"minReplicas {low} is above maxReplicas {high}")


def _canaries(objects: list[KubeObject]) -> Iterator[Finding]:
    for canary in objects:
        if canary.kind != "Canary":
            continue
        analysis = _get(canary.data, ("spec", "analysis")) or {}
        top, step = analysis.get("maxWeight"), analysis.get("stepWeight")
        if not isinstance(top, int) or not isinstance(step, int):
            continue
        where = ("spec", "analysis", "maxWeight")
        if top > 100:
            yield (canary, where, "MW-POL-010", f"maxWeight {top} is above 100")
        if step <= 0:
            yield (canary, ("spec", "analysis", "stepWeight"), "MW-POL-010",
                   f"stepWeight {step} must be positive")
        elif top % step:
            yield (canary, where, "MW-POL-010",
                   f"maxWeight {top} is not reachable in steps of {step}")


def _eu_data(objects: list[KubeObject]) -> Iterator[Finding]:
    import yaml

    for cm in objects:
        if not (cm.kind == "ConfigMap" and cm.name == "region-config"
                and cm.namespace == "mindweave-system"):
            continue
        text = _get(cm.data, ("data", "regions.yaml"))
        where = ("data", "regions.yaml")
        if not isinstance(text, str):
            continue
        try:
            regions = (yaml.safe_load(text) or {}).get("regions") or []
        except (yaml.YAMLError, AttributeError):
            yield (cm, where, "MW-POL-012", "regions.yaml does not parse, EU data region unknown")
            continue
        for region in regions:
            if isinstance(region, dict) and region.get("role") == "eu-data" \
                    and _get(region, ("database", "primary")) is not True:
                yield (cm, where, "MW-POL-012",
                       f"eu-data region {region.get('name')!r} has no primary database of its own")


CHECKS: tuple[Callable[[list[KubeObject]], Iterator[Finding]], ...] = (
    _security, _resources, _probes, _images, _secret_env, _pdbs, _hpas, _canaries, _eu_data,
)
