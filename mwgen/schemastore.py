"""Where the third-party schemas lint needs come from, and which one it used.

mwgen carries no copy of anybody else's schema. A kind's schema is looked up, first
hit wins, in:

1. local folders: ``$MWGEN_SCHEMA_PATH`` (``os.pathsep``-separated), then
   ``schema_paths`` of the project's ``mwgen.yaml`` (relative to the project root);
2. the user cache, where ``mwgen schemas fetch`` stores the pinned upstream files;
3. mwgen's own structural schemas, written by the team from the upstream API
   references and shipped in the package (``mwgen/data/schemas``).

Every root uses one layout (the one of the team's reference folder):
``crd-schemas/<group>/<kind>_<version>.json`` and
``grafana/jsonschema/dashboard.jsonschema.json``. A local folder may also be a
CRDs-catalog checkout (``<group>/<kind>_<version>.json`` at its top).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

ENV_VAR = "MWGEN_SCHEMA_PATH"
CRD_DIR = "crd-schemas"
DASHBOARD = ("grafana", "jsonschema", "dashboard.jsonschema.json")
#: kubeconform ``-schema-location`` templates, relative to a root
CRD_TEMPLATES = (CRD_DIR + "/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json",
                 "{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json")

#: kinds of source, in search order
LOCAL, CACHE, OWN = "local", "cache", "mwgen"


@dataclass(frozen=True)
class SchemaRoot:
    """One folder schemas are searched in, and what kind of source it is."""

    kind: str  # LOCAL, CACHE or OWN
    folder: Path

    def crd_candidates(self, group: str, version: str, kind: str) -> list[Path]:
        name = f"{kind.lower()}_{version}.json"
        found = [self.folder / CRD_DIR / group / name]
        if self.kind == LOCAL:
            found.append(self.folder / group / name)
        return found

    @property
    def label(self) -> str:
        """What a report shows: ``mwgen`` for our own schemas, else kind and folder."""
        return OWN if self.kind == OWN else f"{self.kind} {self.folder}"


@dataclass(frozen=True)
class Found:
    """A schema file and the root it came from."""

    path: Path
    root: SchemaRoot

    @property
    def source(self) -> str:
        return self.root.kind

    def describe(self) -> dict[str, str]:
        """For reports: the source, and the file (relative to mwgen's package for our own
        schemas, so no site-packages path is shown)."""
        if self.root.kind == OWN:
            return {"source": OWN, "file": self.path.relative_to(self.root.folder).as_posix()}
        return {"source": self.root.kind, "file": str(self.path)}


def own_root() -> Path:
    """mwgen's own schemas, inside the installed package."""
    return Path(__file__).resolve().parent / "data" / "schemas"


def cache_root() -> Path:
    """Where ``mwgen schemas fetch`` stores upstream files (not created here)."""
    from mwgen.cache import cache_base

    return cache_base() / "schemas"


def local_folders(project_root: Path | None, configured: Iterable[str] = ()) -> list[Path]:
    """``$MWGEN_SCHEMA_PATH`` folders, then the project's ``schema_paths``."""
    out = [Path(p) for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p]
    base = project_root if project_root is not None else Path.cwd()
    out.extend(base / p for p in configured)
    return out


class SchemaStore:
    """Looks schemas up along the search order; remembers nothing but the roots."""

    def __init__(self, roots: Iterable[SchemaRoot]) -> None:
        self.roots = list(roots)

    @classmethod
    def for_project(cls, project_root: Path | None,
                    configured: Iterable[str] = ()) -> SchemaStore:
        roots = [SchemaRoot(LOCAL, p) for p in local_folders(project_root, configured)]
        roots.append(SchemaRoot(CACHE, cache_root()))
        roots.append(SchemaRoot(OWN, own_root()))
        return cls(roots)

    def crd(self, group: str, version: str, kind: str) -> Found | None:
        """The first schema for a CRD kind along the search order, or None."""
        for root in self.roots:
            for path in root.crd_candidates(group, version, kind):
                if path.is_file():
                    return Found(path, root)
        return None

    def dashboard(self) -> Found | None:
        """The Grafana dashboard schema: upstream when present, else mwgen's own."""
        for root in self.roots:
            path = root.folder.joinpath(*DASHBOARD)
            if path.is_file():
                return Found(path, root)
        return None

    def kubeconform_locations(self) -> list[str]:
        """``-schema-location`` values for CRDs, in search order."""
        out: list[str] = []
        for root in self.roots:
            templates = CRD_TEMPLATES if root.kind == LOCAL else CRD_TEMPLATES[:1]
            out.extend(f"{root.folder}/{t}" for t in templates)
        return out


def store_for(project_root: Path) -> SchemaStore:
    """The store of a project, with ``schema_paths`` from its ``mwgen.yaml``."""
    from mwgen.config import load_config

    return SchemaStore.for_project(project_root, load_config(project_root).schema_paths)
