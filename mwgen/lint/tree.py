"""The rendered tree as lint sees it: which files, which target, which template.

Lint does not depend on the exact output layout. It walks ``output/`` for YAML, JSON
and HCL files, reads the target from an ``output/<family>/<env>/<region>/...`` path when
there is one, and uses the output writer's manifest (when present) to say which template
made a file, because that template is what the user has to fix.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from mwgen.errors import Problem
from mwgen.lint.yamldocs import Doc, LoadResult, load_json, load_yaml

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
    def scan(cls, root: Path, targets: Sequence[str] | None = None) -> "OutputTree":
        from mwgen.config import load_config

        output = Path(load_config(root).output).as_posix()
        out = root / output
        envs = {p.stem for p in (root / "values" / "environments").glob("*.yaml")}
        files = [f for f in _walk(root, out, envs, output) if _selected(f, targets)]
        return cls(root=root, files=files, templates=_read_manifest(out), output=output,
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


def _walk(root: Path, out: Path, envs: set[str], output: str) -> Iterable[OutputFile]:
    if not out.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(out):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or not name.endswith(YAML_SUFFIXES + (".json",) + HCL_SUFFIXES):
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            yield OutputFile(path=path, rel=rel, target=target_of(rel, envs, output))


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


def _selected(f: OutputFile, targets: Sequence[str] | None) -> bool:
    if not targets:
        return True
    return bool(f.target) and any(fnmatch.fnmatchcase(f.target, t) for t in targets)


def _read_manifest(out: Path) -> dict[str, str]:
    """Output path (relative to output/) -> template, from the writer's manifest.

    Lint still runs without one (or with a broken one): findings then name the output
    file only.
    """
    from mwgen.errors import OutputError
    from mwgen.output import Manifest

    try:
        files = Manifest.load(out).files
    except OutputError:
        return {}
    return {k: str(v["template"]) for k, v in files.items()
            if isinstance(v, dict) and v.get("template")}
