"""Where the offline Kubernetes core schemas are, and kubeconform's copies of them.

CRD and dashboard schemas are found by :mod:`mwgen.schemastore`. Core kinds come from
the ``kubernetes-validate`` package (the ``mwgen[lint]`` extra), which bundles
``kubernetes-json-schema/v<X.Y>.0-local[-strict]/<kind>-<group label>-<version>.json``
for 1.25 onwards. Those files ``$ref`` a shared ``_definitions.json``, which a Python
``referencing.Registry`` resolves but kubeconform cannot (it would try to fetch
``https://kubernetes.io/api/_definitions.json``), so :func:`standalone_dir` writes
self-contained copies, once, into a cache laid out the way kubeconform's
``-schema-location`` template expects.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Iterable

from mwgen.cache import cache_base, write_atomic
from mwgen.errors import UsageError

OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
DEFS_PREFIX = "/api/_definitions.json#/$defs/"  # how kind files point into the definitions
LOCAL_PREFIX = "#/$defs/"  # how definitions point at each other
DEFAULT_KUBERNETES_VERSION = "1.30"
#: bump when make_standalone changes, so stale cached copies are not reused
CACHE_FORMAT = 1

#: kubeconform's template for the core cache (see yannh/kubeconform pkg/registry/registry.go:
#: NormalizedKubernetesVersion is "v" + -kubernetes-version, StrictSuffix "-strict",
#: ResourceKind the lower-case kind, KindSuffix "-<first group label>-<version>").
CORE_TEMPLATE = ("{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/"
                 "{{ .ResourceKind }}{{ .KindSuffix }}.json")
#: what to install when kubernetes-validate is missing (one line, shown by lint)
INSTALL_HINT = "pip install 'mwgen[lint]'"


def parse_version(version: str) -> tuple[int, int, int]:
    """``"1.30"``, ``"v1.30.2"`` -> ``(1, 30, 2)``; anything else is a usage error."""
    m = re.fullmatch(r"v?(\d+)\.(\d+)(?:\.(\d+))?", str(version).strip())
    if not m:
        raise UsageError(f"--kubernetes-version: {version!r} is not a version like 1.30 or 1.30.2")
    return int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)


def kubeconform_version(version: str) -> str:
    """kubeconform insists on three parts (``1.30.0``)."""
    return "%d.%d.%d" % parse_version(version)


def split_api_version(api_version: str) -> tuple[str, str]:
    group, _, version = api_version.rpartition("/")
    return group, version


def is_core_group(group: str) -> bool:
    """Built-in groups: core, un-dotted (apps, batch, policy...) or ``*.k8s.io``."""
    return group == "" or "." not in group or group.endswith(".k8s.io")


def core_file_name(group: str, version: str, kind: str) -> str:
    """kubernetes-validate's (and kubeconform's KindSuffix) file name."""
    label = group.split(".")[0].lower() if group else ""
    return f"{kind.lower()}-{label}-{version}.json" if label else f"{kind.lower()}-{version}.json"


def core_available() -> bool:
    """Whether kubernetes-validate (core kind schemas) is installed."""
    import importlib.util

    return importlib.util.find_spec("kubernetes_validate") is not None


def bundle_root() -> Path:
    try:
        import kubernetes_validate
    except ImportError as exc:
        raise UsageError(f"core Kubernetes schemas need kubernetes-validate ({INSTALL_HINT})") from exc
    return Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema"


def core_dir(version: str, *, strict: bool = True) -> Path:
    """The bundled schema folder for ``version``: the newest one not newer than it."""
    wanted = parse_version(version)[:2]
    root = bundle_root()
    suffix = "-local-strict" if strict else "-local"
    have: list[tuple[tuple[int, int], str]] = []
    for name in os.listdir(root):
        m = re.fullmatch(r"v(\d+)\.(\d+)\.(\d+)" + re.escape(suffix), name)
        if m:
            have.append(((int(m.group(1)), int(m.group(2))), name))
    usable = sorted(h for h in have if h[0] <= wanted)
    if not usable or wanted > max(have)[0]:
        listed = ", ".join("%d.%d" % h[0] for h in sorted(have))
        raise UsageError(f"Kubernetes {version}: no bundled schemas for it (have {listed})")
    return root / usable[-1][1]


def standalone_dir(version: str, wanted: Iterable[tuple[str, str, str]]) -> Path:
    """A kubeconform schema root holding standalone copies of the ``wanted`` core kinds.

    ``wanted`` is (group, version, kind) of the documents to check; only their schemas are
    written (the whole bundle inlined would be hundreds of MB). Returns the folder that
    :data:`CORE_TEMPLATE` is relative to.
    """
    import kubernetes_validate

    source = core_dir(version)
    root = (cache_base() / "kubeconform-schemas" / f"format-{CACHE_FORMAT}"
            / f"kubernetes-validate-{getattr(kubernetes_validate, '__version__', 'x')}")
    target = root / f"v{kubeconform_version(version)}-standalone-strict"
    definitions: dict[str, Any] | None = None
    for group, api_version, kind in sorted(set(wanted)):
        if not is_core_group(group):
            continue
        name = core_file_name(group, api_version, kind)
        if (target / name).exists() or not (source / name).exists():
            continue
        if definitions is None:
            definitions = json.loads((source / "_definitions.json").read_text())["$defs"]
        schema = json.loads((source / name).read_text())
        write_atomic(target / name, json.dumps(make_standalone(schema, definitions)).encode())
    return root


def make_standalone(schema: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    """Copy the referenced definitions into the schema's own ``$defs``, refs made local."""
    needed: dict[str, Any] = {}
    pending = list(_refs(schema))
    while pending:
        name = pending.pop()
        if name in needed or name not in definitions:
            continue
        needed[name] = definitions[name]
        pending.extend(_refs(definitions[name]))
    out: dict[str, Any] = _localise({k: v for k, v in schema.items() if k != "$id"})
    out["$defs"] = {k: _localise(v) for k, v in sorted(needed.items())}
    return out


def _refs(node: Any) -> Iterable[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            for prefix in (DEFS_PREFIX, LOCAL_PREFIX):
                if ref.startswith(prefix):
                    yield ref[len(prefix):]
        for v in node.values():
            yield from _refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from _refs(v)


def _localise(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: (LOCAL_PREFIX + v[len(DEFS_PREFIX):]
                    if k == "$ref" and isinstance(v, str) and v.startswith(DEFS_PREFIX)
                    else _localise(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_localise(v) for v in node]
    return node

