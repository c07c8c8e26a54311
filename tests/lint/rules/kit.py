"""Build a few objects, write them as a tiny project, run one rule module's ``check``.

The tests in this folder are unit tests of one rule module each (the end-to-end trees
are ``tests/lint/test_relations.py`` and ``test_lint_policy.py``). They call the module's
``RULE.check`` with a :class:`~mwgen.lint.rules.base.Context` built like the engine's
(the rule's default options overlaid by the test's) and compare what it found as
:class:`Hit` tuples: file, line, data path, object, message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from mwgen.config import load_config
from mwgen.errors import format_path
from mwgen.lint.rules.base import Context, Finding, Rule
from mwgen.lint.tree import OutputTree

#: the one target most tests write their objects to
K8S = "output/k8s/production/us-east-1/app.yaml"
APPS = "output/argocd/production/us-east-1/apps.yaml"
API = {"Deployment": "apps/v1", "StatefulSet": "apps/v1", "DaemonSet": "apps/v1", "ReplicaSet": "apps/v1",
       "Job": "batch/v1", "CronJob": "batch/v1", "HorizontalPodAutoscaler": "autoscaling/v2",
       "PodDisruptionBudget": "policy/v1", "Canary": "flagger.app/v1beta1",
       "MetricTemplate": "flagger.app/v1beta1", "VirtualService": "networking.istio.io/v1beta1",
       "DestinationRule": "networking.istio.io/v1beta1", "Gateway": "networking.istio.io/v1beta1",
       "Application": "argoproj.io/v1alpha1", "ApplicationSet": "argoproj.io/v1alpha1",
       "AppProject": "argoproj.io/v1alpha1", "ExternalSecret": "external-secrets.io/v1beta1"}
#: output path -> file text, or a list of objects to write as a YAML stream
Files = Mapping[str, Any]


class Hit(NamedTuple):
    """One finding, as a test compares it."""

    file: str
    line: int
    path: str
    subject: str  # ``Kind/name`` of the object, "" for a finding about a file
    message: str


def obj(kind: str, name: str, spec: Any = None, *, ns: str | None = "shop", **top: Any) -> dict[str, Any]:
    """A Kubernetes object; ``top`` adds top-level fields (``data=...``)."""
    meta: dict[str, Any] = {"name": name}
    if ns is not None:
        meta["namespace"] = ns
    out: dict[str, Any] = {"apiVersion": API.get(kind, "v1"), "kind": kind, "metadata": meta}
    if spec is not None:
        out["spec"] = spec
    out.update(top)
    return out


def container(name: str = "app", **fields: Any) -> dict[str, Any]:
    """A container every single-object rule accepts; ``fields`` replace its parts."""
    c: dict[str, Any] = {
        "name": name, "image": "shop/app:1.0.0",
        "ports": [{"name": "http", "containerPort": 8080}],
        "resources": {"requests": {"cpu": "100m", "memory": "64Mi"},
                      "limits": {"cpu": "500m", "memory": "128Mi"}},
        "livenessProbe": {"httpGet": {"path": "/live", "port": "http"}},
        "readinessProbe": {"httpGet": {"path": "/ready", "port": "http"}},
        "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                            "capabilities": {"drop": ["ALL"]}},
    }
    c.update(fields)
    return c


def workload(name: str, *, kind: str = "Deployment", ns: str = "shop", labels: Mapping[str, Any] | None = None,
             containers: Sequence[dict[str, Any]] | None = None, replicas: int | None = None,
             **pod: Any) -> dict[str, Any]:
    """A workload of ``kind`` whose pods are labelled ``labels`` (default ``app: name``);
    ``pod`` adds pod spec fields (``tolerations=...``)."""
    labels = dict(labels or {"app": name})
    pod_spec: dict[str, Any] = {"securityContext": {"runAsNonRoot": True, "runAsUser": 1000},
                                "containers": list(containers or [container()]), **pod}
    if kind == "Pod":
        out = obj("Pod", name, pod_spec, ns=ns)
        out["metadata"]["labels"] = labels
        return out
    template = {"metadata": {"labels": labels}, "spec": pod_spec}
    spec: dict[str, Any] = {"selector": {"matchLabels": labels}, "template": template}
    if kind == "CronJob":
        spec = {"schedule": "@daily", "jobTemplate": {"spec": {"template": template}}}
    elif kind == "Job":
        spec = {"template": template}
    if replicas is not None:
        spec["replicas"] = replicas
    return obj(kind, name, spec, ns=ns)


def project(tmp_path: Path, files: Files, *,
            config: str | None = None, envs: Sequence[str] = ("production", "staging", "dev")) -> Path:
    """A fresh project under ``tmp_path``: ``values/`` with ``envs``, ``mwgen.yaml`` when
    ``config`` is given, and ``files`` (text, or objects written as a YAML stream)."""
    n = 0
    while (tmp_path / f"p{n}").exists():
        n += 1
    root = tmp_path / f"p{n}"
    (root / "values" / "environments").mkdir(parents=True)
    (root / "values" / "defaults.yaml").write_text("{}\n")
    for env in envs:
        (root / "values" / "environments" / f"{env}.yaml").write_text("{}\n")
    (root / "output").mkdir()
    if config is not None:
        (root / "mwgen.yaml").write_text(config)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        text = content if isinstance(content, str) else yaml.safe_dump_all(list(content), sort_keys=False)
        path.write_text(text)
    return root


def check(rule: Rule, root: Path, **options: Any) -> list[Hit]:
    """What ``rule.check`` finds in the project at ``root``, with ``options`` over its defaults."""
    config = load_config(root)
    tree = OutputTree.scan(root)
    ctx = Context(tree, tree.kube_objects(), config, {**rule.options, **options})
    return [hit(f) for f in rule.check(ctx)]


def run(rule: Rule, tmp_path: Path, files: Files, *,
        config: str | None = None, **options: Any) -> list[Hit]:
    """``check`` on a fresh ``project`` of ``files``."""
    return check(rule, project(tmp_path, files, config=config), **options)


def hit(f: Finding) -> Hit:
    if f.obj is not None:
        return Hit(f.obj.file.rel, f.obj.doc.position(f.path)[0], format_path(f.path), f.obj.ident, f.message)
    assert f.file is not None
    return Hit(f.file.rel, f.line, format_path(f.path), "", f.message)


def where(hits: Sequence[Hit]) -> list[tuple[str, str, str]]:
    """(object, path, message) of each hit: what most assertions compare."""
    return [(h.subject, h.path, h.message) for h in hits]


def line_of(root: Path, rel: str, needle: str, after: int = 0) -> int:
    """The 1-based number of the first line of ``rel`` containing ``needle`` after line ``after``."""
    lines = (root / rel).read_text().splitlines()
    return next(i + 1 for i, line in enumerate(lines) if i >= after and needle in line)
