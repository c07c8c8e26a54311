"""Kubernetes objects per target, and the pods they run, Flagger's generated ones included.

A target (``ENV/REGION``) sees its own objects, its environment's (a per-environment
template's output, ``output/<family>/<env>/<file>``) and every object outside any target
or environment folder (``output/argocd/projects/...``): those are applied everywhere.
Rules check every object a target applies under that target, so an object several
targets share is checked in each (a shared Service may find its pods in one target
and not in another); the rule engine reports a finding repeated by several targets
once. A tree without target folders is one target named ``""``.

Flagger rewrites what it manages (https://docs.flagger.app/usage/how-it-works, "Canary
target"): for a Canary whose ``targetRef`` is Deployment ``T`` with service name ``S`` it
creates Deployment ``T-primary`` (pods labelled like ``T``'s, with the selector label's
value suffixed ``-primary``), Services ``S``, ``S-canary``, ``S-primary``, HPA
``A-primary`` for ``autoscalerRef`` ``A`` and, with Istio, VirtualService ``S`` and
DestinationRules ``S-canary``/``S-primary``; it scales ``T`` to zero between analyses.
The index records those generated objects so references to them resolve, and marks
``T``'s pods as not serving.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mwgen.lint.relations.k8s import (
    POD_SPEC,
    get,
    label_selector_matches,
    mapping,
    pod_labels,
    pod_spec,
    selects,
)

if TYPE_CHECKING:
    from mwgen.lint.tree import KubeObject

#: labels Flagger may use as the selector (its ``-selector-labels`` default)
FLAGGER_SELECTOR_LABELS = ("app", "name", "app.kubernetes.io/name")
Key = tuple[str, str, str]  # kind, namespace, name


def namespace_of(obj: KubeObject) -> str:
    return obj.namespace or "default"


@dataclass
class Pods:
    """The pods one workload runs (or Flagger's primary copy of it)."""

    workload: KubeObject
    name: str
    namespace: str
    labels: dict[str, Any]
    spec: dict[str, Any]
    serving: bool = True
    generated: bool = False

    @property
    def ident(self) -> str:
        return f"{self.workload.kind}/{self.name}"


@dataclass
class TargetIndex:
    """Lookups over the objects one target applies (its own files', its environment's
    and the shared ones: see the module docstring); rules check all of them."""

    target: str
    objects: list[KubeObject]
    by_key: dict[Key, KubeObject] = field(default_factory=dict)
    #: objects Flagger creates at run time -> the Canary that makes them
    generated: dict[Key, KubeObject] = field(default_factory=dict)
    pods: list[Pods] = field(default_factory=list)
    by_kind: dict[str, list[KubeObject]] = field(default_factory=dict)
    #: (kind, namespace, name) of a Canary's target -> the Canary
    canaries: dict[Key, KubeObject] = field(default_factory=dict)
    #: (kind, namespace, name) of an HPA's scaleTargetRef -> the HPA
    scalers: dict[Key, KubeObject] = field(default_factory=dict)
    _pods_by_ns: dict[str, list[Pods]] = field(default_factory=dict)
    _pods_by_label: dict[tuple[str, str, str], list[Pods]] = field(default_factory=dict)

    @property
    def env(self) -> str:
        return self.target.split("/", 1)[0] if self.target else ""

    @property
    def region(self) -> str:
        return self.target.split("/", 1)[1] if "/" in self.target else ""

    def get(self, kind: str, namespace: str, name: str) -> KubeObject | None:
        return self.by_key.get((kind, namespace, name))

    def exists(self, kind: str, namespace: str, name: str) -> bool:
        return (kind, namespace, name) in self.by_key or (kind, namespace, name) in self.generated

    def of_kind(self, *kinds: str) -> list[KubeObject]:
        if len(kinds) == 1:
            return self.by_kind.get(kinds[0], [])
        return [o for o in self.objects if o.kind in kinds]

    def pods_in(self, namespace: str) -> list[Pods]:
        return self._pods_by_ns.get(namespace, [])

    def select(self, namespace: str, selector: dict[str, Any]) -> list[Pods]:
        """Pods in ``namespace`` whose labels a ``matchLabels``-style selector matches
        (found through one of its labels, so a big namespace costs no more)."""
        if not selector:
            return []
        key, value = next(iter(selector.items()))
        candidates = self._pods_by_label.get((namespace, str(key), str(value)), [])
        return [p for p in candidates if selects(selector, p.labels)]

    def select_by(self, namespace: str, selector: dict[str, Any]) -> list[Pods]:
        """Pods a full LabelSelector (``matchLabels``, ``matchExpressions``) matches."""
        match = mapping(selector.get("matchLabels"))
        pool = self.select(namespace, match) if match else self.pods_in(namespace)
        return [p for p in pool if label_selector_matches(selector, p.labels)]

    def services(self) -> Iterator[tuple[KubeObject, dict[str, Any], list[Pods]]]:
        """This target's Services that have a selector: (service, selector, the pods it
        selects). The service rules all start here."""
        for svc in self.of_kind("Service"):
            selector = mapping(get(svc.data, ("spec", "selector")))
            if selector:
                yield svc, selector, self.select(namespace_of(svc), selector)

    def canary_targeting(self, kind: str, namespace: str, name: str) -> KubeObject | None:
        return self.canaries.get((kind, namespace, name))

    def hpa_for(self, kind: str, namespace: str, name: str) -> KubeObject | None:
        return self.scalers.get((kind, namespace, name))

    @functools.cached_property
    def namespaces(self) -> frozenset[str]:
        """Namespaces objects of this target live in or create."""
        return frozenset({o.namespace for o in self.objects} | {o.name for o in self.of_kind("Namespace")})


def applies(target: str, obj: KubeObject) -> bool:
    """Whether ``target`` (``ENV/REGION``, or ``""`` for a tree without targets)
    applies ``obj``."""
    file = obj.file
    if file.target:
        return file.target == target
    return not file.scope_env or file.scope_env == target.split("/", 1)[0]


def build_targets(objects: Iterable[KubeObject]) -> list[TargetIndex]:
    objects = list(objects)
    names = sorted({o.file.target for o in objects if o.file.target})
    if not names:
        return [_index("", objects)]  # every file is in no target: one index of all
    return [_index(t, [o for o in objects if o.file.target == t]
                   + [o for o in objects if not o.file.target and applies(t, o)]) for t in names]


def _index(target: str, objects: list[KubeObject]) -> TargetIndex:
    index = TargetIndex(target, objects)
    for obj in objects:
        index.by_key.setdefault((obj.kind, namespace_of(obj), obj.name), obj)
        index.by_kind.setdefault(obj.kind, []).append(obj)
        spec = pod_spec(obj)
        if spec is not None and obj.kind in POD_SPEC:
            index.pods.append(Pods(obj, obj.name, namespace_of(obj), pod_labels(obj), spec))
    for hpa in index.of_kind("HorizontalPodAutoscaler"):
        ref = mapping(get(hpa.data, ("spec", "scaleTargetRef")))
        index.scalers.setdefault((str(ref.get("kind")), namespace_of(hpa), str(ref.get("name"))), hpa)
    for canary in index.of_kind("Canary"):
        ref = mapping(get(canary.data, ("spec", "targetRef")))
        key = (str(ref.get("kind", "Deployment")), namespace_of(canary), str(ref.get("name", "")))
        index.canaries.setdefault(key, canary)
    by_name: dict[Key, list[Pods]] = {}
    for pods in index.pods:
        by_name.setdefault((pods.workload.kind, pods.namespace, pods.name), []).append(pods)
    for canary in index.of_kind("Canary"):
        _flagger(index, canary, by_name)
    for pods in index.pods:
        index._pods_by_ns.setdefault(pods.namespace, []).append(pods)
        for k, v in pods.labels.items():
            index._pods_by_label.setdefault((pods.namespace, str(k), str(v)), []).append(pods)
    return index


def _flagger(index: TargetIndex, canary: KubeObject, by_name: dict[Key, list[Pods]]) -> None:
    ns = namespace_of(canary)
    ref = mapping(get(canary.data, ("spec", "targetRef")))
    target, kind = str(ref.get("name", "")), str(ref.get("kind", "Deployment"))
    if not target:
        return
    service = str(get(canary.data, ("spec", "service", "name")) or target)
    made: list[Key] = [(kind, ns, f"{target}-primary"), ("Service", ns, service),
                       ("Service", ns, f"{service}-canary"), ("Service", ns, f"{service}-primary")]
    scaler = get(canary.data, ("spec", "autoscalerRef", "name"))
    if scaler:
        made.append(("HorizontalPodAutoscaler", ns, f"{scaler}-primary"))
    if uses_istio(canary):
        made += [("VirtualService", ns, service), ("DestinationRule", ns, f"{service}-canary"),
                 ("DestinationRule", ns, f"{service}-primary")]
    for key in made:
        index.generated.setdefault(key, canary)
    for pods in by_name.get((kind, ns, target), []):
        if pods.serving and not pods.generated:
            pods.serving = False
            index.pods.append(Pods(pods.workload, f"{target}-primary", ns,
                                   primary_labels(pods.workload, pods.labels), pods.spec,
                                   generated=True))


def uses_istio(canary: KubeObject) -> bool:
    """Flagger's mesh provider for this canary: ``spec.provider``, else Istio (its default)."""
    provider = get(canary.data, ("spec", "provider"))
    return provider in (None, "", "istio")


def primary_labels(workload: KubeObject, labels: dict[str, Any]) -> dict[str, Any]:
    """The labels of Flagger's ``-primary`` pods: the selector label's value gets ``-primary``."""
    selector = mapping(get(workload.data, ("spec", "selector", "matchLabels")))
    out = dict(labels)
    for key in FLAGGER_SELECTOR_LABELS:
        if key in selector:
            out[key] = f"{selector[key]}-primary"
            break
    return out

