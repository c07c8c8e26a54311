"""The output tree writer: atomic, minimal, and never touches what it did not make.

``output/.mwgen-manifest.json`` lists every file mwgen generated (path, sha256,
template, scope). A render:

1. takes ``output/.mwgen.lock`` (two renders never interleave);
2. checks every write first: a path outside ``output/``, a symlink on the way, or a
   file mwgen did not generate standing where output must go stops the render
   before anything is written;
3. records its intent: the manifest is rewritten (atomically) to own the old files
   *and* the new ones, so a render killed after this point leaves nothing the next
   render would mistake for a foreign file;
4. writes changed files (temp file + rename), leaves unchanged ones alone (mtime
   kept), removes generated files no longer produced (unless edited by hand);
5. writes the final manifest.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Iterator, Mapping

from mwgen.errors import OutputError, Problem

MANIFEST = ".mwgen-manifest.json"
LOCK = ".mwgen.lock"
MANIFEST_VERSION = 1


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Manifest:
    """What mwgen generated into an output folder, and from which inputs."""

    files: dict[str, dict[str, str]] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)
    #: True in the intent manifest only: a render found this means one was killed.
    writing: bool = False

    @classmethod
    def load(cls, output_dir: Path, display: str = "output") -> Manifest:
        path = output_dir / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (json.JSONDecodeError, UnicodeDecodeError, OSError) as err:
            raise OutputError(file=f"{display}/{MANIFEST}",
                              message=f"unreadable manifest ({err}); mwgen cannot tell which "
                                      "files it generated. Restore it from git, or delete it "
                                      "and remove stale generated files by hand") from None
        if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION or \
                not isinstance(data.get("files"), dict):
            raise OutputError(file=f"{display}/{MANIFEST}",
                              message="not a mwgen manifest of a version this mwgen reads")
        for name, entry in data["files"].items():
            if not (isinstance(entry, dict) and isinstance(entry.get("sha256"), str)
                    and all(isinstance(v, str) for v in entry.values())):
                raise OutputError(file=f"{display}/{MANIFEST}",
                                  message=f"malformed entry for {name!r} (expected sha256, "
                                          "template and scope strings); restore the manifest "
                                          "from git")
        inputs = data.get("inputs") or {}
        if not isinstance(inputs, dict) or not all(isinstance(v, str) for v in inputs.values()):
            raise OutputError(file=f"{display}/{MANIFEST}",
                              message="malformed 'inputs' (expected scope -> hash strings); "
                                      "restore the manifest from git")
        return cls(files=data["files"], inputs=data.get("inputs") or {},
                   writing=data.get("writing") is True)

    def dump(self) -> bytes:
        data = {"version": MANIFEST_VERSION, "generator": "mwgen",
                "files": dict(sorted(self.files.items())),
                "inputs": dict(sorted(self.inputs.items()))}
        if self.writing:
            data["writing"] = True
        return (json.dumps(data, indent=2, sort_keys=False) + "\n").encode("utf-8")


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    overwrote_edits: list[str] = field(default_factory=list)  # generated files edited by hand
    kept_edited: list[str] = field(default_factory=list)  # stale, but edited by hand: kept


@contextmanager
def locked(output_dir: Path, display: str = "output") -> Iterator[None]:
    """Hold the output folder's lock; fail at once when another render holds it."""
    output_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(output_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(file=f"{display}/{LOCK}",
                              message="another mwgen render is writing this output folder") from None
        yield
    finally:
        os.close(fd)


def safe_path(output_dir: Path, rel: str, display: str = "output",
              checked: set[Path] | None = None) -> Path:
    """``output_dir/rel``, refusing escapes and any symlink on the way.

    ``checked`` remembers folders already found not to be links, so a tree of
    thousands of files costs one ``lstat`` per folder, not per file and level.
    """
    pure = PurePosixPath(rel)
    if pure.is_absolute() or not pure.parts or any(p in ("..", ".", "") for p in pure.parts):
        raise OutputError(file=f"{display}/{rel}", message="path leaves the output folder")
    path = output_dir
    for i, part in enumerate(pure.parts):
        path = path / part
        folder = i < len(pure.parts) - 1
        if folder and checked is not None and path in checked:
            continue
        if path.is_symlink():
            raise OutputError(file=f"{display}/{path.relative_to(output_dir).as_posix()}",
                              message="is a symlink: mwgen never writes through links")
        if folder and checked is not None:
            checked.add(path)
    return path


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        return b"\0<directory>"


def _make_folder(folder: Path, made: set[Path] | None, display: str) -> None:
    if made is not None and folder in made:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(file=display, message=f"cannot create folder {folder.name}: "
                                                f"{err.strerror or err}") from None
    if made is not None:
        made.add(folder)


def _atomic_write(path: Path, data: bytes, display: str,
                  made: set[Path] | None = None) -> None:
    """Temp file + rename. The file's mode is the process umask's, like any tool's."""
    _make_folder(path.parent, made, display)
    tmp = path.with_name(f".{path.name}.mwgen-tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError as err:
        try:
            tmp.unlink()
        except OSError:
            pass
        reason = "disk full" if err.errno == errno.ENOSPC else (err.strerror or str(err))
        raise OutputError(file=display, message=f"cannot write: {reason}") from None


def write_tree(output_dir: Path, files: Mapping[str, Any], scopes: set[str], *,
               inputs: Mapping[str, str] | None = None, display: str = "output") -> WriteReport:
    """Make ``output_dir`` hold ``files`` (path -> RenderedFile) for ``scopes``.

    Generated files of other scopes (a ``-t`` render) are left as they are.
    """
    report = WriteReport()
    with locked(output_dir, display):
        old = Manifest.load(output_dir, display)
        if old.writing:
            _remove_temp_files(output_dir)  # a render was killed mid-write
        plan: list[tuple[str, Path, bytes]] = []
        checked: set[Path] = set()  # folders known not to be links
        made: set[Path] = set()  # folders known to exist
        problems: list[Problem] = []
        for rel, rendered in files.items():
            try:
                path = safe_path(output_dir, rel, display, checked)
            except OutputError as err:
                problems.extend(err.problems)
                continue
            current = _read(path)
            if current == rendered.content:
                report.unchanged.append(rel)
                continue
            if current is not None and rel not in old.files:
                problems.append(Problem(file=f"{display}/{rel}",
                                        message="exists and was not generated by mwgen: "
                                                "refusing to overwrite it (move it away, or "
                                                "change the template's path)"))
                continue
            if current is not None and sha256(current) != old.files[rel].get("sha256"):
                report.overwrote_edits.append(rel)
            plan.append((rel, path, rendered.content))
        if problems:
            raise OutputError.many(dict.fromkeys(problems))  # a folder link: once, not per file

        new_files = {rel: {"sha256": sha256(f.content), "template": f.template,
                           "scope": f.scope} for rel, f in files.items()}
        stale = [rel for rel, entry in old.files.items()
                 if rel not in new_files and entry.get("scope", "global") in scopes]
        kept = {rel: entry for rel, entry in old.files.items()
                if rel not in new_files and rel not in stale}
        # Intent: own old and new files before touching any of them.
        # Its inputs drop the scopes being written: until the final manifest, no
        # incremental render may take a half-written scope for an up-to-date one.
        intent = Manifest(files={**old.files, **new_files}, writing=True,
                          inputs={k: v for k, v in old.inputs.items() if k not in scopes})
        if plan or stale:
            _atomic_write(output_dir / MANIFEST, intent.dump(), f"{display}/{MANIFEST}")
        for rel, path, data in plan:
            _atomic_write(path, data, f"{display}/{rel}", made)
            report.written.append(rel)
        for rel in sorted(stale):
            path = output_dir / rel
            current = _read(path) if not path.is_symlink() else None
            if current is None:
                continue
            if sha256(current) != old.files[rel].get("sha256"):
                report.kept_edited.append(rel)  # edited by hand: keep it, disown it
                continue
            path.unlink()
            report.removed.append(rel)
            _prune_empty_dirs(path.parent, output_dir)
        final_inputs = {k: v for k, v in old.inputs.items() if k not in scopes}
        final_inputs.update(inputs or {})
        final = Manifest(files={**kept, **new_files}, inputs=final_inputs)
        final_bytes = final.dump()
        if _read(output_dir / MANIFEST) != final_bytes:
            _atomic_write(output_dir / MANIFEST, final_bytes, f"{display}/{MANIFEST}")
    return report


def _remove_temp_files(output_dir: Path) -> None:
    """Delete the temp files a killed render left (only names :func:`_atomic_write`
    makes; links are not followed)."""
    for folder, _, names in os.walk(output_dir):
        for name in names:
            if name.startswith(".") and ".mwgen-tmp-" in name:
                path = Path(folder) / name
                if path.is_file() and not path.is_symlink():
                    path.unlink()


def _prune_empty_dirs(folder: Path, root: Path) -> None:
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
