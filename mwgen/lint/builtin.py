"""The built-in Kubernetes validator: kubeconform's job, in Python, on the same schemas.

Runs when kubeconform is not installed. Strictness matches the team's reference checker
(``validate_crds.py`` strict mode): core kinds use kubernetes-validate's ``-strict``
schemas (draft 2020-12, refs into ``_definitions.json`` resolved by a registry); CRDs use
the catalog schemas as draft-04, as kubeconform compiles them, with the root closed to
apiVersion/kind/metadata plus the schema's own top-level keys and ``metadata`` checked
against core ObjectMeta (the catalog leaves both open). Compiled validators are cached
per kind, because an output tree repeats the same few kinds thousands of times.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

from mwgen.errors import Problem
from mwgen.lint import k8s_schemas as ks
from mwgen.lint.schemaerrors import SchemaFinding, findings
from mwgen.lint.tree import KubeObject, OutputTree
from mwgen.errors import format_path

RULE = "k8s-schema"
ROOT_ALWAYS_ALLOWED = ("apiVersion", "kind", "metadata")


class Schemas:
    """Compiled schema validators, loaded on first use and kept per (group, version, kind)."""

    def __init__(self, *, kubernetes_version: str, crds: Path) -> None:
        self.core = ks.core_dir(kubernetes_version)  # fails early on a version we lack
        self.crds = crds
        self._registry: Any = None
        self._defs_id = ""
        self._validators: dict[tuple[str, str, str], tuple[Any, bool] | None] = {}
        self._crd_raw: dict[tuple[str, str, str], dict[str, Any] | None] = {}
        self._meta: Any = None

    def crd_schema(self, group: str, version: str, kind: str) -> dict[str, Any] | None:
        """The raw catalog schema of a CRD kind, or None when we ship none."""
        key = (group, version, kind)
        if key not in self._crd_raw:
            path = ks.crd_file(self.crds, group, version, kind)
            self._crd_raw[key] = json.loads(path.read_text()) if group and path.is_file() else None
        return self._crd_raw[key]

    def validator(self, group: str, version: str, kind: str) -> tuple[Any, bool] | None:
        """(validator, is_crd) for a kind, or None when no schema exists for it."""
        key = (group, version, kind)
        if key not in self._validators:
            self._validators[key] = self._compile(group, version, kind)
        return self._validators[key]

    def object_meta(self) -> Any:
        if self._meta is None:
            from jsonschema import Draft202012Validator

            registry = self._core_registry()
            schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                      "$ref": f"{self._defs_id}#/$defs/{ks.OBJECT_META}"}
            self._meta = Draft202012Validator(schema, registry=registry)
        return self._meta

    def _compile(self, group: str, version: str, kind: str) -> tuple[Any, bool] | None:
        import jsonschema

        crd = self.crd_schema(group, version, kind)
        if crd is not None:
            cls = jsonschema.validators.validator_for(crd, default=jsonschema.Draft4Validator)
            return cls(crd), True
        if not ks.is_core_group(group):
            return None
        path = self.core / ks.core_file_name(group, version, kind)
        if not path.is_file():
            return None
        schema = json.loads(path.read_text())
        gvks = schema.get("x-kubernetes-group-version-kind") or []
        if gvks and not any(g.get("group", "") == group and g.get("version") == version
                            and g.get("kind") == kind for g in gvks):
            return None
        from referencing import Resource
        from referencing.jsonschema import DRAFT202012

        registry = Resource.from_contents(schema, default_specification=DRAFT202012) \
            @ self._core_registry()
        cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
        return cls(schema, registry=registry), False

    def _core_registry(self) -> Any:
        if self._registry is None:
            from referencing import Registry, Resource
            from referencing.jsonschema import DRAFT202012

            defs = json.loads((self.core / "_definitions.json").read_text())
            self._defs_id = defs.get("$id", "https://kubernetes.io/api/_definitions.json")
            self._registry = Resource.from_contents(
                defs, default_specification=DRAFT202012) @ Registry()
        return self._registry


def crd_strict_findings(schemas: Schemas, obj: KubeObject) -> list[SchemaFinding]:
    """What the catalog CRD schemas leave open: unknown root keys, and ObjectMeta."""
    group, version = ks.split_api_version(obj.api_version)
    schema = schemas.crd_schema(group, version, obj.kind)
    if schema is None:
        return []
    out: list[SchemaFinding] = []
    if "additionalProperties" not in schema:
        allowed = set(ROOT_ALWAYS_ALLOWED) | set(schema.get("properties", {}))
        extra = [k for k in obj.data if k not in allowed]
        if extra:
            listed = ", ".join(repr(k) for k in extra)
            verb = "was" if len(extra) == 1 else "were"
            out.append(SchemaFinding(
                path=(), key=str(extra[0]),
                message=f"Additional properties are not allowed ({listed} {verb} unexpected)"))
    if isinstance(obj.data.get("metadata"), dict):
        out.extend(findings(schemas.object_meta(), obj.data["metadata"], ("metadata",)))
    return out


class BuiltinValidator:
    """Validates Kubernetes objects against the offline schemas, in process."""

    name = "builtin"

    def __init__(self, schemas: Schemas, *, skip_kinds: Iterable[str] = ()) -> None:
        self.schemas = schemas
        self.skip_kinds = set(skip_kinds)

    def check(self, tree: OutputTree, objects: list[KubeObject]) -> list[Problem]:
        problems: list[Problem] = []
        for obj in objects:
            if obj.kind in self.skip_kinds:
                continue
            problems.extend(to_problems(tree, obj, self.check_object(obj)))
        return problems

    def check_object(self, obj: KubeObject) -> list[SchemaFinding]:
        if not isinstance(obj.data.get("kind"), str) or not isinstance(obj.data.get("apiVersion"), str):
            return [SchemaFinding((), "apiVersion and kind must be strings")]
        group, version = ks.split_api_version(obj.api_version)
        compiled = self.schemas.validator(group, version, obj.kind)
        if compiled is None:
            return [SchemaFinding((), f"no schema for {obj.api_version} {obj.kind} "
                                      f"(add one to schemas/crds, or --skip-kind {obj.kind})")]
        validator, is_crd = compiled
        out = findings(validator, obj.data)
        if is_crd:
            out.extend(crd_strict_findings(self.schemas, obj))
        return out


def to_problems(tree: OutputTree, obj: KubeObject, found: Iterable[SchemaFinding],
                rule: str = RULE) -> list[Problem]:
    """Schema findings about one object, located at the offending key or value."""
    out = []
    for f in found:
        if f.key is not None:
            line, col = obj.doc.position(f.path + (f.key,), key=True)
        else:
            line, col = obj.doc.position(f.path)
        out.append(tree.problem(obj.file, f"{obj.ident}: {f.message}", line=line, column=col,
                                path=format_path(f.path) or "(root)", rule=rule))
    return out
