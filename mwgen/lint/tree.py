"""The rendered tree as lint sees it: which files, which target, which template.

Lint does not depend on the exact output layout. It walks ``output/`` for YAML, JSON
and HCL files, reads the target from an ``output/<family>/<env>/<region>/...`` path when
there is one, and uses the output writer's manifest (when present) to say which template
made a file, because that template is what the user has to fix.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mwgen.errors import Problem
from mwgen.lint.yamldocs import Doc, LoadResult, load_json, load_yaml
from mwgen.project import target_matches

OUTPUT_DIR = "output"
YAML_SUFFIXES = (".yaml", ".yml")
HCL_SUFFIXES = (".tf", ".tfvars")


@dataclass
class OutputFile:
    """One file under ``output/``; ``rel`` is relative to the project root."""

    path: Path
    rel: str
    #: ``ENV/REGION`` when the path is ``output/<family>/<env>/<region>/...``
    target: str = ""
    #: For a file of no target: the environment whose targets all apply it (a
    #: per-environment template's output); "" for a file every target applies.
    scope_env: str = ""
    _loaded: LoadResult | None = field(default=None, repr=False)

    @property
    def env(self) -> str:
        return self.target.split("/", 1)[0] if self.target else ""

    @property
    def group_dir(self) -> str:
        """The folder that scopes cross-object rules (PDB/HPA matching): the target's."""
        parts = self.rel.split("/")
        return "/".join(parts[:4]) if self.target else str(Path(self.rel).parent)

    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def load(self) -> LoadResult:
        """Parsed documents, cached: several checkers read the same file."""
        if self._loaded is None:
            try:
                text = self.text()
            except (OSError, UnicodeDecodeError) as exc:
                self._loaded = LoadResult(errors=[(0, 0, f"cannot read: {exc}")])
            else:
                if self.rel.endswith(".json"):
                    self._loaded = load_json(text)
                else:
                    self._loaded = load_yaml(text)
        return self._loaded


@dataclass
class KubeObject:
    """A YAML document with apiVersion and kind."""

    file: OutputFile
    doc: Doc

    @property
    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = self.doc.data
        return data

    @property
    def kind(self) -> str:
        return str(self.data.get("kind", ""))

    @property
    def api_version(self) -> str:
        return str(self.data.get("apiVersion", ""))

    @property
    def name(self) -> str:
        meta = self.data.get("metadata")
        return str(meta.get("name", "")) if isinstance(meta, dict) else ""

    @property
    def namespace(self) -> str:
        meta = self.data.get("metadata")
        return str(meta.get("namespace", "") or "") if isinstance(meta, dict) else ""

    @property
    def ident(self) -> str:
        return f"{self.kind}/{self.name or '?'}"


@dataclass
class OutputTree:
    """The files to lint, and how to turn a finding about one into a Problem."""

    root: Path
    files: list[OutputFile]
    templates: dict[str, str]
    #: the project's environments (``values/environments/*.yaml`` stems)
    environments: frozenset[str] = frozenset()
    output: str = OUTPUT_DIR  # the output folder, relative to root (``output:`` in mwgen.yaml)

    @classmethod
    def scan(cls, root: Path, targets: Sequence[str] | None = None, *,
             output_dir: Path | None = None) -> OutputTree:
        """The tree under ``output_dir`` (default: the project's output folder).

        Files are named as they would be committed (``output/...``, whatever folder they
        were read from), so Argo CD paths and templates resolve the same way for a
        render into another folder. Each file's target comes from the manifest's scope;
        only a file the manifest does not list (no manifest yet) has it guessed from
        its path.
        """
        from mwgen.config import load_config

        output = Path(load_config(root).output).as_posix()
        out = root / output if output_dir is None else output_dir
        # The manifest first: it refuses a symlinked output folder.
        entries = manifest_entries(out, output)
        templates = {k: v["template"] for k, v in entries.items() if v["template"]}
        envs = {p.stem for p in (root / "values" / "environments").glob("*.yaml")}
        files = [f for f in _walk(root, out, envs, output, entries) if _selected(f, targets)]
        return cls(root=root, files=files, templates=templates, output=output,
                   environments=frozenset(envs))

    def targets(self) -> list[str]:
        """The ``ENV/REGION`` targets that have files in the tree, sorted."""
        return sorted({f.target for f in self.files if f.target})

    def by_suffix(self, *suffixes: str) -> list[OutputFile]:
        return [f for f in self.files if f.rel.endswith(suffixes)]

    def kube_objects(self) -> list[KubeObject]:
        """Every YAML document that is a Kubernetes object (has apiVersion and kind)."""
        found = []
        for f in self.by_suffix(*YAML_SUFFIXES):
            for doc in f.load().docs:
                d = doc.data
                if isinstance(d, dict) and "apiVersion" in d and "kind" in d:
                    found.append(KubeObject(f, doc))
        return found

    def problem(self, file: OutputFile, message: str, *, line: int = 0, column: int = 0,
                path: str = "", rule: str = "", severity: str = "error") -> Problem:
        """A finding about ``file``, naming the template that made it when known."""
        template = self.templates.get(file.rel[len(self.output) + 1:])
        if template:
            message = f"{message} (from {template})"
        return Problem(file=file.rel, line=line, column=column, path=path, message=message,
                       targets=(file.target,) if file.target else (), rule=rule,
                       severity=severity)


def _walk(root: Path, out: Path, envs: set[str], output: str,
          entries: dict[str, dict[str, str]]) -> Iterable[OutputFile]:
    if not out.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(out):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or not name.endswith(YAML_SUFFIXES + (".json",) + HCL_SUFFIXES):
                continue
            path = Path(dirpath) / name
            if path.is_symlink():
                continue  # never read through a link planted in output/
            inside = path.relative_to(out).as_posix()
            rel = f"{output}/{inside}"
            entry = entries.get(inside)
            if entry is not None:
                scope = entry["scope"]
                target = scope[len("target:"):] if scope.startswith("target:") else ""
                scope_env = scope[len("env:"):] if scope.startswith("env:") else ""
            else:
                target = target_of(rel, envs, output)
                scope_env = env_of(rel, envs, output) if not target else ""
            yield OutputFile(path=path, rel=rel, target=target, scope_env=scope_env)


def target_of(rel: str, envs: set[str] | None = None, output: str = OUTPUT_DIR) -> str:
    """``output/<family>/<env>/<region>/<file...>`` -> ``env/region``; else ``""``.

    With ``envs`` (the project's environments) only those count, so
    ``output/terraform/modules/eks/main.tf`` is not mistaken for target ``modules/eks``.
    """
    if not rel.startswith(output + "/"):
        return ""
    parts = [output] + rel[len(output) + 1:].split("/")
    if len(parts) >= 5 and (not envs or parts[2] in envs):
        return f"{parts[2]}/{parts[3]}"
    return ""


def env_of(rel: str, envs: set[str], output: str = OUTPUT_DIR) -> str:
    """``output/<family>/<env>/<file>`` -> ``env`` when ``env`` is one of the project's
    environments (a per-environment template's output); else ``""``."""
    parts = rel.split("/")
    if len(parts) == 4 and parts[0] == output and parts[2] in envs:
        return parts[2]
    return ""


def _selected(f: OutputFile, targets: Sequence[str] | None) -> bool:
    if not targets:
        return True
    return bool(f.target) and target_matches(f.target, targets)


def manifest_entries(out: Path, display: str = OUTPUT_DIR) -> dict[str, dict[str, str]]:
    """Output path (relative to output/) -> manifest entry (template, scope).

    Lint runs without one (findings then name the output file only). A manifest
    that is there is checked like in every command: a symlinked ``output/``, a bad
    or conflicted entry is an error located in it, and no path is taken from it.
    """
    from mwgen.output import Manifest

    return dict(Manifest.load(out, display).files)
