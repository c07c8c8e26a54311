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

import dataclasses
import json
from pathlib import Path
from typing import Any, Iterable

from mwgen.errors import Problem
from mwgen.lint import k8s_schemas as ks
from mwgen.lint.schemaerrors import SchemaFinding, findings
from mwgen.lint.tree import KubeObject, OutputTree
from mwgen.errors import format_path
from mwgen.schemastore import Found, SchemaStore

RULE = "k8s-schema"
NO_SCHEMA_RULE = "k8s-no-schema"
ROOT_ALWAYS_ALLOWED = ("apiVersion", "kind", "metadata")


class Schemas:
    """Compiled schema validators, loaded on first use and kept per (group, version, kind).

    CRD schemas come from the :class:`~mwgen.schemastore.SchemaStore` (local folders,
    cache, then mwgen's own); ``used`` records which file served each kind, so lint can
    say which schema it checked against. Core kinds need kubernetes-validate; without it
    ``core`` is None and core kinds count as having no schema.
    """

    def __init__(self, *, kubernetes_version: str, store: SchemaStore) -> None:
        ks.parse_version(kubernetes_version)
        self.kubernetes_version = kubernetes_version
        # fails early on a version the bundle lacks
        self.core = ks.core_dir(kubernetes_version) if ks.core_available() else None
        self.store = store
        self.used: dict[tuple[str, str, str], Found] = {}
        self._registry: Any = None
        self._defs_id = ""
        self._validators: dict[tuple[str, str, str], tuple[Any, bool] | None] = {}
        self._crd_raw: dict[tuple[str, str, str], dict[str, Any] | None] = {}
        self._meta: Any = None

    def crd_schema(self, group: str, version: str, kind: str) -> dict[str, Any] | None:
        """The raw schema of a CRD kind, or None when no source has one."""
        key = (group, version, kind)
        if key not in self._crd_raw:
            found = self.store.crd(group, version, kind) if group and not ks.is_core_group(group) else None
            self._crd_raw[key] = None
            if found is not None:
                self.used[key] = found
                self._crd_raw[key] = json.loads(found.path.read_text(encoding="utf-8"))
        return self._crd_raw[key]

    def validator(self, group: str, version: str, kind: str) -> tuple[Any, bool] | None:
        """(validator, is_crd) for a kind, or None when no schema exists for it."""
        key = (group, version, kind)
        if key not in self._validators:
            self._validators[key] = self._compile(group, version, kind)
        return self._validators[key]

    def object_meta(self) -> Any:
        """ObjectMeta from the core bundle, or None without kubernetes-validate."""
        if self.core is None:
            return None
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
        if not ks.is_core_group(group) or self.core is None:
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
        assert self.core is not None
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
    meta = schemas.object_meta()
    if meta is not None and isinstance(obj.data.get("metadata"), dict):
        out.extend(findings(meta, obj.data["metadata"], ("metadata",)))
    return out


class BuiltinValidator:
    """Validates Kubernetes objects against the offline schemas, in process."""

    name = "builtin"

    def __init__(self, schemas: Schemas, *, skip_kinds: Iterable[str] = ()) -> None:
        self.schemas = schemas
        self.skip_kinds = set(skip_kinds)

    def check(self, tree: OutputTree, objects: list[KubeObject]) -> list[Problem]:
        problems: list[Problem] = []
        missing: list[KubeObject] = []
        for obj in objects:
            if obj.kind in self.skip_kinds:
                continue
            found = self.check_object(obj)
            if found is None:
                missing.append(obj)
            else:
                problems.extend(to_problems(tree, obj, found))
        return problems + missing_schema_problems(tree, missing, self.schemas)

    def check_object(self, obj: KubeObject) -> list[SchemaFinding] | None:
        """Findings about one object; None when no schema for its kind is at hand."""
        if not isinstance(obj.data.get("kind"), str) or not isinstance(obj.data.get("apiVersion"), str):
            return [SchemaFinding((), "apiVersion and kind must be strings")]
        group, version = ks.split_api_version(obj.api_version)
        compiled = self.schemas.validator(group, version, obj.kind)
        if compiled is None:
            return None
        validator, is_crd = compiled
        out = findings(validator, obj.data)
        if is_crd:
            out.extend(crd_strict_findings(self.schemas, obj))
        return out


def missing_schema_problems(tree: OutputTree, missing: list[KubeObject],
                            schemas: Schemas) -> list[Problem]:
    """One finding per kind no schema covers, at its first object, saying what fixes it.

    A CRD kind is a warning (mwgen cannot know every CRD); without kubernetes-validate,
    all core kinds share one warning; a built-in group/version the bundle does not have
    for this Kubernetes version is an error (a removed or misspelt apiVersion).
    """
    by_kind: dict[str, list[KubeObject]] = {}
    for obj in missing:
        group, _version = ks.split_api_version(obj.api_version)
        core = ks.is_core_group(group) and schemas.core is None
        by_kind.setdefault("" if core else f"{obj.api_version} {obj.kind}", []).append(obj)
    out = []
    for key, objs in sorted(by_kind.items()):
        first, n = objs[0], len(objs)
        docs = f"{n} document{'s' if n != 1 else ''} not checked"
        severity = "warning"
        if not key:
            message = (f"core Kubernetes kinds have no schema ({docs}): kubernetes-validate is "
                       f"not installed; {ks.INSTALL_HINT}")
        elif ks.is_core_group(ks.split_api_version(first.api_version)[0]):
            severity = "error"
            message = (f"{key} is not a built-in API of Kubernetes {schemas.kubernetes_version} "
                       f"({docs}): misspelt or removed apiVersion?")
        else:
            message = f"no schema for {key} ({docs}): {fix_hint(first.kind)}"
        line, col = first.doc.position(())
        found = tree.problem(first.file, message, line=line, column=col, rule=NO_SCHEMA_RULE)
        out.append(dataclasses.replace(found, severity=severity))
    return out


def fix_hint(kind: str) -> str:
    """What to do about a kind without schema: fetch it when mwgen pins it, else point
    lint at a folder that has it, or skip it on purpose."""
    from mwgen.schemafetch import pinned_kinds

    folder = (f"put crd-schemas/<group>/{kind.lower()}_<version>.json in a folder listed in "
              f"schema_paths (mwgen.yaml) or $MWGEN_SCHEMA_PATH")
    if kind.lower() in pinned_kinds():
        return f"run `mwgen schemas fetch`, or {folder}, or --skip-kind {kind}"
    return f"{folder}, or --skip-kind {kind}"


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
