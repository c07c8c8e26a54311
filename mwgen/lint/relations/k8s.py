"""Small helpers over Kubernetes object data: safe lookups, pod specs, label selectors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping

if TYPE_CHECKING:
    from mwgen.lint.tree import KubeObject

#: where each workload kind keeps its pod spec
POD_SPEC: dict[str, tuple[str, ...]] = {
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
    "Pod": ("spec",),
}
LONG_RUNNING = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"})


def get(data: Any, path: Iterable[Any]) -> Any:
    """``data[path[0]][path[1]]...``, or None where the path does not exist."""
    for part in path:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def pod_spec_path(obj: "KubeObject") -> tuple[str, ...] | None:
    return POD_SPEC.get(obj.kind)


def pod_spec(obj: "KubeObject") -> dict[str, Any] | None:
    base = POD_SPEC.get(obj.kind)
    spec = get(obj.data, base) if base else None
    return spec if isinstance(spec, dict) else None


def pod_labels(obj: "KubeObject") -> dict[str, Any]:
    """The labels of the pods a workload creates (a Pod's own labels)."""
    base = POD_SPEC.get(obj.kind)
    if base is None:
        return {}
    meta = ("metadata", "labels")
    return mapping(get(obj.data, base[:-1] + meta if len(base) > 1 else meta))


def containers(obj: "KubeObject", *, init: bool = True
               ) -> Iterator[tuple[tuple[Any, ...], dict[str, Any], dict[str, Any]]]:
    """(path, container, pod spec) for every container of a workload."""
    base = POD_SPEC.get(obj.kind)
    pod = pod_spec(obj)
    if base is None or pod is None:
        return
    for field in ("initContainers", "containers") if init else ("containers",):
        for i, c in enumerate(items(pod.get(field))):
            if isinstance(c, dict):
                yield base + (field, i), c, pod


def selects(selector: Mapping[str, Any], labels: Mapping[str, Any]) -> bool:
    """A non-empty ``matchLabels``-style selector matches ``labels``."""
    return bool(selector) and all(str(labels.get(k)) == str(v) for k, v in selector.items()
                                  if k in labels) and all(k in labels for k in selector)


def label_selector_matches(selector: Mapping[str, Any], labels: Mapping[str, Any]) -> bool:
    """A LabelSelector (``matchLabels`` and ``matchExpressions``) matches ``labels``."""
    match = mapping(selector.get("matchLabels"))
    if match and not selects(match, labels):
        return False
    for expr in items(selector.get("matchExpressions")):
        if not isinstance(expr, dict):
            continue
        key, op = str(expr.get("key", "")), expr.get("operator")
        values = [str(v) for v in items(expr.get("values"))]
        have = key in labels
        value = str(labels.get(key))
        if (op == "In" and not (have and value in values)) or (op == "NotIn" and have and value in values) \
                or (op == "Exists" and not have) or (op == "DoesNotExist" and have):
            return False
    return bool(match) or bool(items(selector.get("matchExpressions")))
