"""Input digests per render scope, so a render whose inputs did not change is skipped.

A scope ("global", "env:ENV", "target:ENV/REGION") is fresh when

* the digest of every input that can change its output was rendered before on this
  machine, into exactly the manifest entries the scope has now (a memo in the user
  cache: input digest -> digest of the scope's manifest entries; a pure function of
  its key, so any machine or branch may share it and deleting it is safe), and
* those generated files are on disk with the recorded hashes.

Inputs: mwgen's version and rendering code, the libraries that shape output (by name
and version), ``mwgen.yaml`` and the project extension file, the command line
overrides and ``-f`` files, the values schema, the value files the scope layers (all
of them for global scope, the environment's targets for an environment), the
templates of the scope and every template they reach (include, import, extends; see
:mod:`mwgen.render.reach`). Only bytes are hashed: a no-op render costs file reads,
not Jinja or jsonschema.

Nothing of this is in the committed manifest: it would differ between machines.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import mwgen
from mwgen.cache import cache_dir

if TYPE_CHECKING:
    from mwgen.manifest import Manifest
    from mwgen.project import Project, Target

_PACKAGE = Path(mwgen.__file__).resolve().parent
#: Parts of mwgen whose code decides what a render writes.
_RENDER_CODE = ("render", "hcl", "hclfmt.py", "values.py", "yamlio.py", "project.py",
                "output.py", "schema", "secrets.py", "config.py", "extensions.py", "manifest.py")
#: Libraries whose behaviour shapes the bytes a render writes: module -> distribution.
_LIBRARIES = {"jinja2": "jinja2", "markupsafe": "markupsafe", "yaml": "pyyaml",
              "regex": "regex", "jsonschema": "jsonschema"}


class _Hasher:
    """File digests, each file read once per run."""

    def __init__(self) -> None:
        self.memo: dict[Path, bytes] = {}

    def digest(self, path: Path) -> bytes:
        if path not in self.memo:
            try:
                data = path.read_bytes()
            except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
                data = b"\0missing"
            self.memo[path] = hashlib.sha256(data).digest()
        return self.memo[path]

    def update(self, h: hashlib._Hash, root: Path, paths: Iterable[Path]) -> None:
        for path in sorted(set(paths)):
            rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
            h.update(rel.encode() + b"\0" + self.digest(path))


def _library_fingerprint() -> bytes:
    """Each library's distribution version, read from its ``.dist-info`` folder name
    (importlib.metadata would cost half a no-op render). Never a path or an mtime."""
    import importlib.util

    listings: dict[str, list[str]] = {}
    parts = []
    for module, dist in _LIBRARIES.items():
        version = "?"
        spec = importlib.util.find_spec(module)
        if spec is not None and spec.origin:
            origin = os.path.dirname(spec.origin)
            site = os.path.dirname(origin) if spec.submodule_search_locations else origin
            if site not in listings:
                try:
                    listings[site] = os.listdir(site)
                except OSError:
                    listings[site] = []
            for entry in listings[site]:
                name, _, rest = entry.partition("-")
                if entry.endswith(".dist-info") and \
                        name.lower().replace(".", "_").replace("-", "_") == dist:
                    version = rest[:-len(".dist-info")]
                    break
        if version == "?":
            try:
                from importlib.metadata import version as dist_version

                version = dist_version(dist)
            except Exception:  # noqa: BLE001 - not installed: "?" is the honest answer
                pass
        parts.append(f"{dist}=={version}")
    return "\n".join(parts).encode()


def _code_files() -> list[Path]:
    out: list[Path] = []
    for part in _RENDER_CODE:
        path = _PACKAGE / part
        out.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return out


def _templates(project: Project, hasher: _Hasher) -> dict[str, list[Path]]:
    """Per scope kind, its templates and every template file they reach."""
    from mwgen.render.discovery import discover
    from mwgen.render.reach import EVERYTHING, reach

    root = project.templates_dir
    if not root.is_dir():
        return {}
    every = {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}
    specs = discover(root)
    names = [s.name for s in specs]
    reached = reach(list(every), names, digest_of=lambda n: hasher.digest(every[n]),
                    read=lambda n: every[n].read_bytes())
    by_scope: dict[str, list[Path]] = {}
    for spec in specs:
        found = reached.get(spec.name, [EVERYTHING])
        targets = list(every.values()) if EVERYTHING in found else [root / n for n in found]
        by_scope.setdefault(spec.scope, []).extend(targets)
    return by_scope


def scope_digests(project: Project, targets: Sequence[Target]) -> dict[str, str]:
    """Digest of the inputs of every scope a render of ``targets`` writes."""
    hasher = _Hasher()
    common = hashlib.sha256(f"mwgen {mwgen.__version__}\n".encode())
    common.update(_library_fingerprint())
    hasher.update(common, _PACKAGE, _code_files())
    common.update("\0".join(project.overrides).encode())
    hasher.update(common, project.root, [f if f.is_absolute() else Path.cwd() / f
                                         for f in project.extra_files])
    config = project.config
    project_files = [project.root / "mwgen.yaml"]
    if config.schema_file is not None:
        project_files.append(config.schema_file)
    if config.extensions:
        project_files.append(project.root / config.extensions)
    hasher.update(common, project.root, project_files)
    common.update(f"output={config.output}\n".encode())
    by_scope = _templates(project, hasher)
    base = common.digest()

    def digest(scope_kinds: tuple[str, ...], values_files: Iterable[Path]) -> str:
        h = hashlib.sha256(base)
        for kind in scope_kinds:
            h.update(kind.encode())
            hasher.update(h, project.root, by_scope.get(kind, []))
        hasher.update(h, project.root, values_files)
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


def _tables(manifest: Manifest) -> dict[str, str]:
    """Scope -> digest of its manifest entries (what the last render of it wrote)."""
    hashes: dict[str, hashlib._Hash] = {}
    for rel in sorted(manifest.files):
        entry = manifest.files[rel]
        h = hashes.setdefault(entry["scope"], hashlib.sha256())
        h.update(f"{rel}\0{entry['sha256']}\0{entry['template']}\n".encode())
    return {scope: h.hexdigest() for scope, h in hashes.items()}


_EMPTY = hashlib.sha256().hexdigest()


def remember(manifest: Manifest, digests: dict[str, str], scopes: Iterable[str]) -> None:
    """Record that the inputs ``digests[s]`` render into ``manifest``'s entries of ``s``
    (best effort: an unwritable cache only costs time)."""
    folder = cache_dir("fresh")
    if folder is None:
        return
    tables = _tables(manifest)
    for scope in scopes:
        if scope not in digests:
            continue
        try:
            tmp = folder / f".{digests[scope]}.{os.getpid()}"
            tmp.write_text(tables.get(scope, _EMPTY), encoding="utf-8")
            tmp.replace(folder / digests[scope])
        except OSError:
            pass


def _recall(folder: Path | None, digest: str) -> str | None:
    if folder is None:
        return None
    try:
        return (folder / digest).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def fresh_scopes(output_dir: Path, manifest: Manifest, digests: dict[str, str]) -> set[str]:
    """Scopes whose inputs rendered before into their current entries, intact on disk.

    Every path is checked as any manifest path is (a link on the way is an error).
    """
    from mwgen.manifest import sha256
    from mwgen.output import read_entry, stopped_render

    if manifest.pending or stopped_render(output_dir):
        return set()  # a render was stopped mid-write: let a real render finish it
    folder = cache_dir("fresh")
    tables = _tables(manifest)
    fresh = {s for s, d in digests.items() if _recall(folder, d) == tables.get(s, _EMPTY)}
    checked: set[str] = set()
    for rel, entry in manifest.files.items():
        scope = entry["scope"]
        if scope not in fresh:
            continue
        data = read_entry(output_dir, rel, manifest, checked)
        if data is None or sha256(data) != entry["sha256"]:
            fresh.discard(scope)
    return fresh


def dead_scopes(manifest: Manifest, live: Iterable[str]) -> set[str]:
    """Scopes with generated files that the project no longer has (a removed target)."""
    alive = set(live)
    return {e["scope"] for e in (*manifest.files.values(), *manifest.pending.values())
            if e["scope"] not in alive}
