"""pod.references: ServiceAccounts, ConfigMaps and Secrets a pod uses exist.

A reference resolves when the object is in the target's tree, or another rendered object
produces it (an ExternalSecret or SealedSecret makes its target Secret; an Argo CD
Application with a Helm chart source may make anything in its destination namespace), or
it is declared in ``mwgen.yaml`` ``lint.external`` (``Secret: [argocd/argocd-secret]``).
References marked ``optional: true`` and the ``default`` ServiceAccount are not checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mwgen.lint.relations.index import TargetIndex, namespace_of
from mwgen.lint.relations.k8s import get, items, mapping, pod_spec_path
from mwgen.lint.rules.base import Context, Finding, Rule
from mwgen.lint.tree import KubeObject

Ref = tuple[tuple[Any, ...], str, str]  # path, kind, name


def references(obj: KubeObject) -> Iterator[Ref]:
    base = pod_spec_path(obj)
    spec = get(obj.data, base) if base else None
    if not isinstance(spec, dict) or base is None:
        return
    sa = spec.get("serviceAccountName") or spec.get("serviceAccount")
    if sa and sa != "default":
        yield base + ("serviceAccountName",), "ServiceAccount", str(sa)
    for i, secret in enumerate(items(spec.get("imagePullSecrets"))):
        if mapping(secret).get("name"):
            yield base + ("imagePullSecrets", i), "Secret", str(secret["name"])
    for i, vol in enumerate(items(spec.get("volumes"))):
        vol = mapping(vol)
        here = base + ("volumes", i)
        if mapping(vol.get("secret")).get("secretName") and not vol["secret"].get("optional"):
            yield here, "Secret", str(vol["secret"]["secretName"])
        if mapping(vol.get("configMap")).get("name") and not vol["configMap"].get("optional"):
            yield here, "ConfigMap", str(vol["configMap"]["name"])
        for j, src in enumerate(items(get(vol, ("projected", "sources")))):
            for field, kind in (("secret", "Secret"), ("configMap", "ConfigMap")):
                ref = mapping(mapping(src).get(field))
                if ref.get("name") and not ref.get("optional"):
                    yield here + ("projected", "sources", j), kind, str(ref["name"])
    for field in ("initContainers", "containers"):
        for i, c in enumerate(items(spec.get(field))):
            c = mapping(c)
            for j, var in enumerate(items(c.get("env"))):
                for key, kind in (("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap")):
                    ref = mapping(get(var, ("valueFrom", key)))
                    if ref.get("name") and not ref.get("optional"):
                        yield base + (field, i, "env", j, "valueFrom", key), kind, str(ref["name"])
            for j, src in enumerate(items(c.get("envFrom"))):
                for key, kind in (("secretRef", "Secret"), ("configMapRef", "ConfigMap")):
                    ref = mapping(mapping(src).get(key))
                    if ref.get("name") and not ref.get("optional"):
                        yield base + (field, i, "envFrom", j, key), kind, str(ref["name"])


def produced(index: TargetIndex) -> tuple[set[tuple[str, str, str]], set[str]]:
    """(objects other objects make, namespaces a Helm chart Application deploys into)."""
    made: set[tuple[str, str, str]] = set()
    for obj in index.of_kind("ExternalSecret", "SealedSecret"):
        name = get(obj.data, ("spec", "target", "name")) or obj.name
        made.add(("Secret", namespace_of(obj), str(name)))
    helm: set[str] = set()
    for app in index.of_kind("Application", "ApplicationSet"):
        spec = mapping(get(app.data, ("spec", "template", "spec")) if app.kind == "ApplicationSet"
                       else app.data.get("spec"))
        sources = [mapping(spec.get("source"))] + [mapping(s) for s in items(spec.get("sources"))]
        ns = get(spec, ("destination", "namespace"))
        if ns and any(s.get("chart") for s in sources):
            helm.add(str(ns))
    return made, helm


def check(ctx: Context) -> Iterator[Finding]:
    for index in ctx.targets():
        made, helm = produced(index)
        for obj in index.objects:
            ns = namespace_of(obj)
            for path, kind, name in references(obj):
                if index.get(kind, ns, name) or (kind, ns, name) in made or ns in helm \
                        or ctx.is_external(kind, name, ns):
                    continue
                yield Finding(f"{kind} {ns}/{name} does not exist: not rendered for this target, "
                              f"not produced by an ExternalSecret or Helm chart Application, not "
                              f"declared in lint.external", obj, path)


RULE = Rule("pod.references", "a pod whose ServiceAccount, ConfigMap or Secret is missing never starts",
            check)
