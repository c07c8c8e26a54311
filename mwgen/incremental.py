"""Input digests per render scope, so a render whose inputs did not change is skipped.

A scope ("global", "env:ENV", "target:ENV/REGION") is fresh when the digest of every
input that can change its output equals the digest recorded in the manifest at its
last render *and* its generated files are on disk with the recorded hashes. Inputs:
mwgen's version and rendering code, the libraries that shape output (Jinja2, PyYAML,
python-hcl2...), the command line overrides and ``-f`` files, ``mwgen.yaml``, the
values schema and extension file it names, the value files the scope layers (all of
them for global scope, the environment's targets for an environment), the templates
of that scope and every shared macro folder. Only bytes are hashed: nothing is parsed, so a no-op render
costs file reads, not Jinja or jsonschema.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

import mwgen

if TYPE_CHECKING:
    from mwgen.output import Manifest
    from mwgen.project import Project, Target

_PACKAGE = Path(mwgen.__file__).resolve().parent
#: Parts of mwgen whose code decides what a render writes.
_RENDER_CODE = ("render", "hcl", "hclfmt.py", "values.py", "yamlio.py", "project.py", "output.py",
                "schema.py", "secrets.py")


def _hash_files(h: hashlib._Hash, root: Path, paths: Iterable[Path]) -> None:
    for path in sorted(set(paths)):
        try:
            data = path.read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            data = b"\0missing"
        rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        h.update(rel.encode() + b"\0" + hashlib.sha256(data).digest())


#: Libraries whose behaviour shapes the bytes a render writes.
_LIBRARIES = ("jinja2", "markupsafe", "yaml", "regex", "jsonschema")


def _library_fingerprint() -> bytes:
    """Where each library lives and its ``__init__``'s size and mtime: an upgrade
    changes them. (importlib.metadata would cost a quarter of a no-op render.)"""
    import importlib.util

    parts = []
    for name in _LIBRARIES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec and spec.origin else ""
        try:
            st = os.stat(origin)
            parts.append(f"{name}={origin}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{name}=?")
    return "\n".join(parts).encode()


def _code_files() -> list[Path]:
    out: list[Path] = []
    for part in _RENDER_CODE:
        path = _PACKAGE / part
        out.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return out


def _templates(project: Project) -> tuple[dict[str, list[Path]], list[Path]]:
    """Templates by scope, and the shared (macro/include) files every scope may use."""
    from mwgen.render.discovery import discover

    root = project.templates_dir
    by_scope: dict[str, list[Path]] = {}
    for spec in discover(root):
        by_scope.setdefault(spec.scope, []).append(root / spec.name)
    rendered = {p for paths in by_scope.values() for p in paths}
    shared = [p for p in root.rglob("*") if p.is_file() and p not in rendered] if root.is_dir() else []
    return by_scope, shared


def scope_digests(project: Project, targets: Sequence[Target]) -> dict[str, str]:
    """Digest of the inputs of every scope a render of ``targets`` writes."""
    common = hashlib.sha256(f"mwgen {mwgen.__version__}\n".encode())
    common.update(_library_fingerprint())
    _hash_files(common, _PACKAGE, _code_files())
    common.update("\0".join(project.overrides).encode())
    _hash_files(common, project.root, [f if f.is_absolute() else Path.cwd() / f
                                       for f in project.extra_files])
    config = project.config
    _hash_files(common, project.root, [p for p in (
        config.schema_file, config.file,
        project.root / config.extensions if config.extensions else None) if p is not None])
    by_scope, shared = _templates(project)
    _hash_files(common, project.root, shared)
    base = common.digest()

    def digest(scope_kinds: tuple[str, ...], values_files: Iterable[Path]) -> str:
        h = hashlib.sha256(base)
        for kind in scope_kinds:
            h.update(kind.encode())
            _hash_files(h, project.root, by_scope.get(kind, []))
        _hash_files(h, project.root, values_files)
        return h.hexdigest()

    every = project.targets()

    def files_of(t: Target) -> list[Path]:
        return [project.values_dir / "defaults.yaml", project.env_file(t.env),
                project.region_file(t.region), project.target_file(t)]

    out = {"global": digest(("global",), [f for t in every for f in files_of(t)] +
                            sorted(project.values_dir.rglob("*.yaml")))}
    for env in dict.fromkeys(t.env for t in targets):
        env_files = [f for t in every if t.env == env for f in files_of(t)]
        out[f"env:{env}"] = digest(("env",), env_files)
    for t in targets:
        # A target's scope owns its per-target and its per-service templates.
        out[f"target:{t.name}"] = digest(("target", "service"), files_of(t))
    return out


def fresh_scopes(output_dir: Path, manifest: Manifest, digests: dict[str, str]) -> set[str]:
    """Scopes whose recorded inputs match and whose files are intact on disk."""
    from mwgen.output import sha256

    fresh = {s for s, d in digests.items() if manifest.inputs.get(s) == d}
    for rel, entry in manifest.files.items():
        scope = entry.get("scope", "global")
        if scope not in fresh:
            continue
        path = output_dir / rel
        try:
            intact = not path.is_symlink() and sha256(path.read_bytes()) == entry.get("sha256")
        except OSError:
            intact = False
        if not intact:
            fresh.discard(scope)
    return fresh
