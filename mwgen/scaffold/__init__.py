"""``mwgen init``: the files of a small, working project.

The project lives under ``project/`` beside this module as package data: values for
two environments and two regions, a documented values schema, one template per output
family (Kubernetes, Argo CD, Grafana, Terraform), ``mwgen.yaml``, ``.gitignore``,
``.pre-commit-config.yaml`` and a CI workflow. Names starting with ``dot-`` become
dotfiles (package data globs skip hidden files); ``@MWGEN_VERSION@`` becomes the running
mwgen's version, so CI and pre-commit install the mwgen that wrote the project. The
editor schema for single value files is derived from the scaffold's values schema at
init time, by the same code as ``mwgen docs --layer-schema``.

Nothing is overwritten: when any file already exists, nothing is written at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import mwgen
from mwgen.errors import Problem

SOURCE = Path(__file__).resolve().parent / "project"
LAYER_SCHEMA = "schemas/values.layer.schema.json"


@dataclass(frozen=True)
class InitResult:
    """What init wrote, or (when ``refused``) the existing files that stopped it."""

    written: tuple[str, ...] = ()
    refused: tuple[Problem, ...] = ()


def project_files() -> dict[str, bytes]:
    """Path (relative to the new project) -> content, sorted by path."""
    files: dict[str, bytes] = {}
    for path in sorted(SOURCE.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        rel = "/".join("." + p[4:] if p.startswith("dot-") else p
                       for p in path.relative_to(SOURCE).parts)
        files[rel] = path.read_bytes().replace(b"@MWGEN_VERSION@", mwgen.__version__.encode())
    files[LAYER_SCHEMA] = _layer_schema(files["schemas/values.schema.json"])
    return dict(sorted(files.items()))


def _layer_schema(schema: bytes) -> bytes:
    from mwgen.valuesdoc import layer_schema

    data = layer_schema(json.loads(schema), "schemas/values.schema.json")
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()


def init_project(dest: Path, display: str) -> InitResult:
    """Write the scaffold into ``dest`` (created if needed) unless any file exists there.

    ``display`` is how ``dest`` is shown in messages (as the user typed it)."""
    files = project_files()
    prefix = "" if display in ("", ".") else display.rstrip("/") + "/"
    existing = [Problem(file=prefix + rel, message="already exists: not overwritten "
                                                   "(mwgen init writes nothing when any "
                                                   "of its files exists)")
                for rel in files if (dest / rel).exists() or (dest / rel).is_symlink()]
    if existing:
        return InitResult(refused=tuple(existing))
    for rel, content in files.items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as handle:  # x: never replace a file that appeared meanwhile
            handle.write(content)
    return InitResult(written=tuple(prefix + rel for rel in files))
