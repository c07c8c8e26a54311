"""How Istio resolves a host name to a Kubernetes Service.

A short name (``reviews``) is the Service in the referring object's namespace;
``reviews.prod``, ``reviews.prod.svc`` and ``reviews.prod.svc.cluster.local`` name it in
namespace ``prod`` (https://istio.io/latest/docs/reference/config/networking/virtual-service/
"hosts"). Any other dotted name, or a wildcard, is outside the cluster: None.
"""

from __future__ import annotations

from mwgen.lint.relations.index import TargetIndex


def service_of(host: str, namespace: str, index: TargetIndex) -> tuple[str, str] | None:
    """(namespace, name) of the Service ``host`` means, or None for an external host."""
    if not host or "*" in host:
        return None
    if "." not in host:
        return namespace, host
    for suffix in (".svc.cluster.local", ".svc"):
        if host.endswith(suffix):
            name, _, ns = host[: -len(suffix)].partition(".")
            return (ns, name) if ns and "." not in ns else None
    name, _, ns = host.partition(".")
    return (ns, name) if ns in index.namespaces else None
