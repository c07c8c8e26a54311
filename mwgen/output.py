"""The output tree writer: atomic, minimal, and never touches what it did not make.

``output/.mwgen-manifest.json`` (:mod:`mwgen.manifest`) lists every file mwgen
generated. A render:

1. refuses a symlinked ``output/`` and locks the folder itself (``flock`` on its
   descriptor: no lock file, so nothing for ``git add -A`` to pick up);
2. checks every path first: the new files, and the manifest entries it may delete
   (no symlink on the way, no foreign file or folder where output must go); any
   problem stops the render before anything is written;
3. records its intent: the manifest gains ``pending`` entries (the new bytes of every
   file about to change), so after a kill both the old and the new bytes of such a
   file count as generated: nothing is orphaned or taken for a hand edit;
4. stages every new file under an unpredictable temp name (``O_CREAT|O_EXCL|
   O_NOFOLLOW``) beside its destination; if staging fails, the temp files, the
   folders it made and the intent are undone, so ``output/`` is byte-identical;
5. renames the staged files into place, then removes generated files no longer
   produced (unless edited by hand), then writes the final manifest.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no flock (see locked())
    fcntl = None  # type: ignore[assignment]
from collections.abc import Iterator, Mapping
from typing import Any

from mwgen.errors import OutputError, Problem
from mwgen.manifest import MANIFEST, REBUILD, Manifest, located, sha256
from mwgen.safefs import DIRECTORY, check_output_dir, read_nofollow, safe_path

_TEMP = re.compile(r"^\..+\.mwgen-tmp-[0-9a-f]{16}$")

__all__ = ["MANIFEST", "REBUILD", "Manifest", "WriteReport", "atomic_write", "entry_path", "locked",
           "output_display", "read_entry", "read_path", "safe_path", "sha256", "write_tree"]


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    overwrote_edits: list[str] = field(default_factory=list)  # generated files edited by hand
    kept_edited: list[str] = field(default_factory=list)  # stale, but edited by hand: kept


@contextmanager
def locked(output_dir: Path, display: str = "output") -> Iterator[None]:
    """Hold the output folder's lock; fail at once when another render holds it.

    The lock is ``flock`` on the folder itself, so no lock file is ever left in it.
    Where ``fcntl`` does not exist (Windows) a second concurrent render is not
    detected; every other guarantee (staged writes, the manifest) still holds.
    """
    check_output_dir(output_dir, display)
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(file=display, message=f"cannot create: {err.strerror or err}") from None
    if fcntl is None:
        yield
        return
    fd = os.open(output_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(file=display,
                              message="another mwgen render is writing this output folder") from None
        yield
    finally:
        os.close(fd)


def entry_path(output_dir: Path, rel: str, manifest: Manifest,
               checked: set[str] | None = None) -> Path:
    """:func:`safe_path` for a path taken from the manifest: a link on the way is an
    error located at the manifest entry that names it."""
    try:
        return safe_path(output_dir, rel, manifest.display, checked)
    except OutputError as err:
        where = err.problems[0] if err.problems else None
        detail = f"{where.file}: {where.message}" if where else err.message
        raise located(f"{manifest.display}/{MANIFEST}", manifest.line_of(rel),
                      f"entry \"{rel}\": {detail}; nothing was read, written or "
                      "deleted") from None


def read_entry(output_dir: Path, rel: str, manifest: Manifest,
               checked: set[str] | None = None) -> bytes | None:
    """The bytes at a manifest entry's path, never through a link."""
    path = entry_path(output_dir, rel, manifest, checked)
    return read_path(path, f"{manifest.display}/{rel}")


def read_path(path: Path, display: str) -> bytes | None:
    """The bytes at ``path`` (None: absent), never through a link in its last part."""
    try:
        return read_nofollow(path)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise OutputError(file=display, message="is a symlink: mwgen never writes "
                                                    "through links") from None
        raise OutputError(file=display, message=f"cannot read: {err.strerror or err}") from None


def output_display(project: Any, out: Path) -> str:
    """``out`` as shown to users, without resolving it (a symlinked output/ must be
    named as the link, not as where it points)."""
    try:
        return out.absolute().relative_to(Path(project.root).absolute()).as_posix()
    except ValueError:
        return str(out)


# -- writing primitives ---------------------------------------------------------------
def _write_all(fd: int, data: bytes) -> None:
    """Every byte of ``data`` to ``fd`` (one place, so tests can make writes fail)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _open_new(path: Path) -> int:
    """Create ``path``: never an existing file, never through a link (the mode is the
    umask's, like any tool's)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    return os.open(path, flags, 0o666)


def stage_bytes(path: Path, data: bytes) -> Path:
    """``data`` in a new temp file beside ``path``, under a name nobody can predict,
    created exclusively and never through a link; raises ``OSError`` (nothing is left
    behind). The one temp-file writer: output files, the manifest and the user cache."""
    tmp = path.with_name(f".{path.name}.mwgen-tmp-{secrets.token_hex(8)}")
    fd = _open_new(tmp)
    try:
        _write_all(fd, data)
    except BaseException:
        os.close(fd)
        _unlink_quietly(tmp)
        raise
    os.close(fd)
    return tmp


def _stage(path: Path, data: bytes, display: str) -> Path:
    """:func:`stage_bytes`, its failure one located line."""
    try:
        return stage_bytes(path, data)
    except OSError as err:
        raise _write_error(err, display) from None


def _write_error(err: OSError, display: str) -> OutputError:
    reason = "disk full" if err.errno == errno.ENOSPC else (err.strerror or str(err))
    return OutputError(file=display, message=f"cannot write: {reason}")


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def atomic_write(path: Path, data: bytes, display: str) -> None:
    """Make ``path`` hold ``data`` at once (a staged temp file and a rename), making its
    folder if needed; the name is never followed through a link."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _write_error(err, display) from None
    tmp = _stage(path, data, display)
    try:
        os.replace(tmp, path)
    except OSError as err:
        _unlink_quietly(tmp)
        raise _write_error(err, display) from None


_atomic_write = atomic_write  # the name mwgen.promote imports


def _replace_manifest(output_dir: Path, data: bytes | None, display: str) -> None:
    """Atomically make the manifest ``data`` (None: remove it)."""
    path = output_dir / MANIFEST
    if data is None:
        _unlink_quietly(path)
        return
    atomic_write(path, data, f"{display}/{MANIFEST}")


def _make_folders(folder: Path, output_dir: Path, made: list[Path], display: str) -> None:
    """Create ``folder`` and missing parents below ``output_dir``, remembering each."""
    missing = []
    current = folder
    while current != output_dir and not current.is_dir():
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        try:
            os.mkdir(path)
        except FileExistsError:
            continue
        except OSError as err:
            raise OutputError(file=display, message=f"cannot create folder {path.name}: "
                                                    f"{err.strerror or err}") from None
        made.append(path)


# -- the writer -----------------------------------------------------------------------
@dataclass
class _Plan:
    """Everything a render will do, decided before anything is touched."""

    writes: list[tuple[str, Path, bytes]] = field(default_factory=list)
    disk: dict[str, bytes | None] = field(default_factory=dict)  # current bytes of writes
    stale: dict[str, tuple[Path, bytes | None]] = field(default_factory=dict)


def write_tree(output_dir: Path, files: Mapping[str, Any], scopes: set[str], *,
               live: set[str] | None = None, rebuild: bool = False,
               inputs: Mapping[str, str] | None = None, display: str = "output") -> WriteReport:
    """Make ``output_dir`` hold ``files`` (path -> RenderedFile) for ``scopes``.

    Generated files of other scopes are left alone (a ``-t`` render), except that
    with ``live`` (the scopes the project has: a render of the whole project) files
    of scopes not in ``live`` (a removed environment, region or target) are removed.
    ``rebuild`` ignores a broken manifest and salvages what it can (see
    :meth:`Manifest.salvage`); files whose bytes equal the render are adopted.
    ``inputs`` (scope -> input digest, :mod:`mwgen.incremental`) are remembered in the
    user cache, so the next render of unchanged inputs is a no-op.
    """
    report = WriteReport()
    with locked(output_dir, display):
        old = Manifest.salvage(output_dir, display) if rebuild else \
            Manifest.load(output_dir, display)
        if old.pending:
            _remove_temp_files(output_dir)  # a render was stopped mid-write
        else:  # stopped between keeping the old manifest and recording its intent
            _remove_temp_files(output_dir, recursive=False)
        checked: set[str] = set()  # folders known not to be links
        plan = _plan(output_dir, old, files, scopes, live, report, checked, display)
        new_files = {rel: {"sha256": sha256(f.content), "template": f.template,
                           "scope": f.scope} for rel, f in files.items()}
        kept = {rel: old.matching(rel, read_entry(output_dir, rel, old, checked)
                                  if rel in old.pending else None)
                for rel in old.owned() if rel not in files and rel not in plan.stale}
        final = Manifest(files={**kept, **new_files})
        final_bytes = final.dump()
        if plan.writes:
            before = read_nofollow(output_dir / MANIFEST)
            _write_files(output_dir, old, plan.writes, plan.disk, new_files, before, display)
            report.written.extend(rel for rel, _, _ in plan.writes)
        for rel, (path, current) in plan.stale.items():
            _remove_stale(output_dir, rel, path, current, old, report, display)
        if read_nofollow(output_dir / MANIFEST) != final_bytes:
            _replace_manifest(output_dir, final_bytes, display)
    if inputs:
        from mwgen.incremental import remember

        remember(final, dict(inputs), scopes)
    return report


def _plan(output_dir: Path, old: Manifest, files: Mapping[str, Any], scopes: set[str],
          live: set[str] | None, report: WriteReport, checked: set[str],
          display: str) -> _Plan:
    """Read every path the render touches; any problem stops it here, before any write."""
    plan = _Plan()
    problems: list[Problem] = []
    for rel, rendered in files.items():
        try:
            path = safe_path(output_dir, rel, display, checked)
            current = read_path(path, f"{display}/{rel}")
        except OutputError as err:
            problems.extend(err.problems)
            continue
        if current == rendered.content:
            report.unchanged.append(rel)
            continue
        if current == DIRECTORY:
            problems.append(Problem(file=f"{display}/{rel}", message="is a folder where "
                                    "mwgen writes a file (move it away)"))
            continue
        if current is not None and not old.owns(rel):
            problems.append(Problem(file=f"{display}/{rel}",
                                    message="exists and was not generated by mwgen: "
                                            "refusing to overwrite it (move it away, or "
                                            "change the template's path)"))
            continue
        if current is not None and not old.generated(rel, sha256(current)):
            report.overwrote_edits.append(rel)
        plan.disk[rel] = current
        plan.writes.append((rel, path, rendered.content))
    for rel in old.owned():
        scope = old.entry(rel)["scope"]
        if rel in files or not (scope in scopes or (live is not None and scope not in live)):
            continue
        try:
            path = entry_path(output_dir, rel, old, checked)
            plan.stale[rel] = (path, read_path(path, f"{display}/{rel}"))
        except OutputError as err:
            problems.extend(err.problems)
    if problems:
        raise OutputError.many(dict.fromkeys(problems))  # a folder link: once, not per file
    return plan


def _write_files(output_dir: Path, old: Manifest, plan: list[tuple[str, Path, bytes]],
                 disk: Mapping[str, bytes | None], new_files: Mapping[str, dict[str, str]],
                 before: bytes | None, display: str) -> None:
    """Intent, staging (undone on failure), then the renames."""
    intent = Manifest(files=dict(old.files),
                      pending={r: e for r, e in old.pending.items()})
    for rel, _, _ in plan:
        current = disk.get(rel)
        if current is not None and old.owns(rel):
            # Whatever is there now stays "generated" until the rename lands.
            intent.files[rel] = {**old.matching(rel, current), "sha256": sha256(current)}
        intent.pending[rel] = new_files[rel]
    # Keep the old manifest under a temp name (a hard link: no data written), so that
    # undoing the intent is one rename, which works even on a full disk.
    manifest = output_dir / MANIFEST
    backup = None
    if before is not None:
        backup = manifest.with_name(f".{MANIFEST}.mwgen-tmp-{secrets.token_hex(8)}")
        try:
            os.link(manifest, backup, follow_symlinks=False)
        except OSError as err:
            raise _write_error(err, f"{display}/{MANIFEST}") from None
    try:
        _replace_manifest(output_dir, intent.dump(), display)
    except OutputError:
        if backup is not None:
            _unlink_quietly(backup)
        raise
    made: list[Path] = []
    staged: list[tuple[str, Path, Path]] = []
    try:
        for rel, path, data in plan:
            _make_folders(path.parent, output_dir, made, f"{display}/{rel}")
            staged.append((rel, _stage(path, data, f"{display}/{rel}"), path))
    except OutputError:
        for _, tmp, _ in staged:
            _unlink_quietly(tmp)
        for folder in reversed(made):
            try:
                folder.rmdir()
            except OSError:
                pass
        try:
            if backup is not None:
                os.replace(backup, manifest)
            else:
                os.unlink(manifest)
        except OSError:
            pass  # the intent stays: still a consistent manifest for the next render
        raise
    if backup is not None:
        _unlink_quietly(backup)
    for i, (rel, tmp, path) in enumerate(staged):
        try:
            os.replace(tmp, path)
        except OSError as err:
            for _, rest, _ in staged[i:]:
                _unlink_quietly(rest)
            reason = _write_error(err, "").problems[0].message
            raise OutputError(file=f"{display}/{rel}", message=f"{reason}; "
                              f"{i} of {len(staged)} files were replaced, and the manifest "
                              "records both versions of each, so the next `mwgen render` "
                              "completes the tree") from None


def _remove_stale(output_dir: Path, rel: str, path: Path, current: bytes | None,
                  old: Manifest, report: WriteReport, display: str) -> None:
    """Delete a generated file no longer produced (``current``: its bytes, read while
    planning), unless it was edited by hand."""
    if current is None:
        return
    if current == DIRECTORY or not old.generated(rel, sha256(current)):
        report.kept_edited.append(rel)  # edited by hand: keep it, disown it
        return
    try:
        os.unlink(path)
    except OSError as err:
        raise OutputError(file=f"{display}/{rel}",
                          message=f"cannot remove: {err.strerror or err}") from None
    report.removed.append(rel)
    _prune_empty_dirs(path.parent, output_dir)


def _remove_temp_files(output_dir: Path, recursive: bool = True) -> None:
    """Delete the temp files a stopped render left (only names :func:`_stage` makes,
    regular files only; links are neither followed nor removed)."""
    for folder, dirs, names in os.walk(output_dir):
        if not recursive:
            dirs[:] = []
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(folder, d))]
        for name in names:
            if _TEMP.match(name):
                path = Path(folder) / name
                if path.is_file() and not path.is_symlink():
                    _unlink_quietly(path)


def _prune_empty_dirs(folder: Path, root: Path) -> None:
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
