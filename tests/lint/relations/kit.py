"""In-memory Kubernetes objects for the relation views' unit tests: no files, no YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mwgen.lint.tree import KubeObject, OutputFile
from mwgen.lint.yamldocs import Doc


def kube(data: dict[str, Any], *, target: str = "prod/r1", rel: str = "",
         env: str = "") -> KubeObject:
    """``data`` as a KubeObject in ``output/k8s/<target>/objects.yaml`` (or ``rel``);
    with ``env`` (and no target), in that environment's ``output/k8s/<env>/objects.yaml``."""
    if env:
        target = ""
    rel = rel or (f"output/k8s/{target}/objects.yaml" if target else
                  f"output/k8s/{env}/objects.yaml" if env else "output/argocd/shared.yaml")
    return KubeObject(OutputFile(path=Path(rel), rel=rel, target=target, scope_env=env),
                      Doc(data, None))


def meta(kind: str, name: str, namespace: str = "", api: str = "v1", **rest: Any) -> dict[str, Any]:
    """``{apiVersion, kind, metadata: {name, namespace}, **rest}``."""
    metadata: dict[str, Any] = {"name": name}
    if namespace:
        metadata["namespace"] = namespace
    return {"apiVersion": api, "kind": kind, "metadata": metadata, **rest}


def deployment(name: str, labels: dict[str, str], namespace: str = "shop", *,
               selector: dict[str, str] | None = None, **kw: Any) -> KubeObject:
    """A Deployment whose pods carry ``labels`` (selected by ``selector`` or ``labels``)."""
    spec = {"selector": {"matchLabels": selector or labels},
            "template": {"metadata": {"labels": labels},
                         "spec": {"containers": [{"name": name, "image": f"{name}:1"}]}}}
    return kube(meta("Deployment", name, namespace, "apps/v1", spec=spec), **kw)
