"""Project configuration: ``mwgen.yaml`` at the project root.

Everything a project may choose lives in this one file, so the engine names no
project of its own. The file is optional; without it every setting has the default
below. It is read with the same safe, located YAML loader as value files, and checked
against :data:`CONFIG_SCHEMA`, so a typo is one ``mwgen.yaml:LINE:COL`` error::

    # mwgen.yaml
    output: output                      # where rendered files go
    schema: schemas/values.schema.json  # the values schema; `schema: false` opts out
    kubernetes_version: "1.30"          # what lint checks manifests against
    schema_paths: [../schemas]          # extra local schema folders, searched first
    extensions: lib/mwgen_ext.py        # project filters, tests and lint rules
    lint:
      rules: {pod.read-only-root-fs: warning, service.selector: off}
      packs: [lint_rules/mindweave.py]  # rule packs (Python files with RULES) the project enables
      options:                          # rule id -> options
        image.pinned: {unpinned_allowed_in: [dev]}
      external:                         # objects that exist outside the tree
        Secret: [registry-credentials]
        Gateway: [istio-system/public-gateway]

Helpers that add a setting add it to :data:`CONFIG_SCHEMA` and a typed attribute to
:class:`ProjectConfig`; ``raw`` keeps the whole mapping for settings read elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mwgen.errors import InputError

CONFIG_FILE = "mwgen.yaml"
DEFAULT_SCHEMA = "schemas/values.schema.json"
SEVERITIES = ("error", "warning", "off")

#: JSON Schema (2020-12) of ``mwgen.yaml``; closed, so a misspelt key is an error.
CONFIG_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "output": {"type": "string", "minLength": 1,
                   "description": "Folder (relative to the project root) that rendered files go to."},
        "schema": {"anyOf": [{"type": "string", "minLength": 1}, {"const": False}],
                   "description": "The values schema; `false` explicitly opts out of validation."},
        "kubernetes_version": {"type": "string", "pattern": r"^1\.[0-9]+$",
                               "description": "Kubernetes minor version lint checks against."},
        "schema_paths": {"type": "array", "items": {"type": "string", "minLength": 1},
                         "description": "Local folders of third-party schemas, searched first."},
        "extensions": {"type": "string", "minLength": 1,
                       "description": "Python file (relative path) with project FILTERS, TESTS and RULES."},
        "lint": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "rules": {"type": "object",
                          "additionalProperties": {"enum": list(SEVERITIES)},
                          "description": "Rule id -> error, warning or off."},
                "packs": {"type": "array", "items": {"type": "string"},
                          "description": "Rule packs the project enables."},
                "options": {"type": "object",
                            "additionalProperties": {"type": "object"},
                            "description": "Rule id -> that rule's options (see docs/lint.md)."},
                "external": {"type": "object",
                             "additionalProperties": {"type": "array", "items": {"type": "string"}},
                             "description": "Kind -> names (NAMESPACE/NAME or NAME) that exist outside the tree."},
            },
        },
        "promote": {
            "type": "object",
            "additionalProperties": False,
            "required": ["version"],
            "description": "What a release is (mwgen promote): see mwgen.promote.paths.",
            "properties": {
                "version": {"type": "string", "pattern": r"\{service\}",
                            "description": "Dotted path of a service's version, with {service}."},
                "slot_active": {"type": "string", "pattern": r"\{service\}",
                                "description": "Blue-green: path of the active slot's name."},
                "slot_version": {"type": "string", "pattern": r"\{service\}.*\{slot\}",
                                 "description": "Blue-green: path of a slot's version, with {slot}."},
            },
        },
    },
}


@dataclass(frozen=True)
class ProjectConfig:
    """The settings of one project, defaults filled in. Paths are relative to ``root``."""

    root: Path
    file: Path | None = None
    output: str = "output"
    schema: str | None = DEFAULT_SCHEMA
    kubernetes_version: str | None = None
    schema_paths: tuple[str, ...] = ()
    extensions: str | None = None
    lint_rules: Mapping[str, str] = field(default_factory=dict)
    lint_packs: tuple[str, ...] = ()
    lint_external: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    lint_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    raw: Mapping[str, Any] = field(default_factory=dict)
    #: Where each value of ``mwgen.yaml`` is (a :class:`mwgen.yamlio.Prov`), for errors.
    prov: Any = field(default=None, compare=False, repr=False)

    def where(self, *path: Any) -> tuple[int, int]:
        """(line, column) in ``mwgen.yaml`` of the value at ``path`` (its nearest
        existing parent; (0, 0) without a file)."""
        if self.prov is None:
            return 0, 0
        origin = self.prov.at(path).origin
        return origin.line, origin.column

    @property
    def output_dir(self) -> Path:
        return self.root / self.output

    @property
    def schema_file(self) -> Path | None:
        """The values schema, or None when the project opted out (``schema: false``)."""
        return None if self.schema is None else self.root / self.schema

    def severity(self, rule: str, default: str = "error") -> str:
        """What the project set for ``rule`` (``error``/``warning``/``off``), else ``default``."""
        return self.lint_rules.get(rule, default)

    def is_external(self, kind: str, name: str, namespace: str | None = None) -> bool:
        """Whether the project declared ``kind`` ``[namespace/]name`` to exist outside the tree."""
        names = self.lint_external.get(kind, ())
        return name in names or (namespace is not None and f"{namespace}/{name}" in names)


def load_config(root: Path) -> ProjectConfig:
    """Read ``root/mwgen.yaml`` (defaults when absent); errors are located in it."""
    path = root / CONFIG_FILE
    try:
        raw_bytes = path.read_bytes()
    except FileNotFoundError:
        return ProjectConfig(root=root)
    except OSError as err:
        raise InputError(file=CONFIG_FILE, message=f"cannot read: {err.strerror}") from None
    from mwgen.yamlio import load_mapping

    data, prov = load_mapping(raw_bytes, CONFIG_FILE)  # YAMLInputError is an InputError
    lint_rules = data.get("lint", {}).get("rules") if isinstance(data.get("lint"), dict) else None
    if isinstance(lint_rules, dict):  # YAML 1.1 reads a bare `off` as false
        lint_rules.update({k: "off" for k, v in lint_rules.items() if v is False})
    _check(data, prov)
    lint = data.get("lint") or {}
    schema = data.get("schema", DEFAULT_SCHEMA)
    return ProjectConfig(
        root=root,
        file=path,
        output=data.get("output", "output"),
        schema=None if schema is False else schema,
        kubernetes_version=data.get("kubernetes_version"),
        schema_paths=tuple(data.get("schema_paths", ())),
        extensions=data.get("extensions"),
        lint_rules=dict(lint.get("rules", {})),
        lint_packs=tuple(lint.get("packs", ())),
        lint_external={k: tuple(v) for k, v in lint.get("external", {}).items()},
        lint_options={k: dict(v) for k, v in lint.get("options", {}).items()},
        raw=data,
        prov=prov,
    )


def _check(data: dict[str, Any], prov: Any) -> None:
    """The first schema error in ``mwgen.yaml``, located; paths must stay in the project."""
    from jsonschema import Draft202012Validator

    from mwgen.errors import format_path

    errors = sorted(Draft202012Validator(CONFIG_SCHEMA).iter_errors(data),
                    key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        err = errors[0]
        path = tuple(err.absolute_path)
        where = prov.at(path).origin
        raise InputError(file=CONFIG_FILE, line=where.line, column=where.column,
                         path=format_path(path), message=err.message)
    for key in ("output", "schema", "extensions"):
        value = data.get(key)
        if isinstance(value, str) and not _inside(value):
            where = prov.at((key,)).origin
            raise InputError(file=CONFIG_FILE, line=where.line, column=where.column, path=key,
                             message=f"{value!r} must be a relative path inside the project")


def _inside(rel: str) -> bool:
    parts = Path(rel).parts
    return bool(parts) and not Path(rel).is_absolute() and ".." not in parts
