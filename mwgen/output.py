"""The output tree writer: atomic, minimal, and never touches what it did not make.

``output/.mwgen-manifest.json`` (:mod:`mwgen.manifest`) lists every file mwgen
generated. A render:

1. refuses a symlinked ``output/`` and locks the folder itself (``flock`` on its
   descriptor: no lock file, so nothing for ``git add -A`` to pick up), then removes
   the temp files a stopped render left;
2. checks each file's path as soon as the file is rendered (no symlink on the way, no
   foreign file or folder where output must go) and stages it at once under an
   unpredictable temp name (``O_CREAT|O_EXCL|O_NOFOLLOW``) beside its destination,
   keeping only its path, sha256, template and scope (and the sha256 of what it
   replaces): memory does not grow with the bytes of the tree. Before the first file,
   it stages a marker at the root (``.mwgen-staging.mwgen-tmp-HEX``), which lists
   each folder the render makes before it is made. With ``-j N`` (forked workers) the
   worker that rendered a file checks and stages it, appending to the same marker,
   and the render's process records what it did, in plan order;
3. checks the manifest entries it may delete. Until here nothing in ``output/`` has
   changed but new temp files and folders: any problem (a path, a template error in a
   later job, a failed write, an interrupt, a killed worker: then also the temp
   files and listed folders it could not report) removes them, so ``output/`` is
   byte-identical, and a first render leaves no output folder;
4. records its intent: the manifest gains ``pending`` entries (the new bytes of every
   file about to change), so after a kill both the old and the new bytes of such a
   file count as generated: nothing is orphaned or taken for a hand edit; the marker
   is removed;
5. renames the staged files into place, then removes generated files no longer
   produced (unless edited by hand), then writes the final manifest.

A render killed while staging leaves temp files (and the folders made for them) under
the old manifest, and the marker. The marker (like ``pending``) makes the next render,
even one whose inputs did not change (:func:`stopped_render`), look for temp files in
the whole tree and remove them with the folders that held only them, and the folders
the marker lists that are still empty (a kill between making a folder and staging
into it); without either, a render does not walk the tree.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import stat
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no flock (see locked())
    fcntl = None  # type: ignore[assignment]
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from mwgen.errors import OutputError, Problem
from mwgen.manifest import MANIFEST, REBUILD, Entry, Manifest, located, sha256
from mwgen.safefs import DIRECTORY, check_output_dir, read_nofollow, safe_path

_TEMP = re.compile(r"^\..+\.mwgen-tmp-[0-9a-f]{16}$")
#: An empty temp file at the output root from before a render stages its first file
#: until its intent is recorded: a render killed while staging leaves it, so the next
#: render looks for temp files everywhere (and no other render walks the tree).
_STAGING = "mwgen-staging"  # staged as .mwgen-staging.mwgen-tmp-HEX

__all__ = ["MANIFEST", "REBUILD", "Manifest", "WriteReport", "atomic_write", "entry_path", "locked",
           "output_display", "read_entry", "read_path", "safe_path", "sha256", "stopped_render",
           "write_stream", "write_tree"]


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


#: A new file: never an existing one, never through a link.
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def _open_new(path: Path) -> int:
    """Create ``path``: never an existing file, never through a link (the mode is the
    umask's, like any tool's)."""
    return os.open(path, _NEW_FILE, 0o666)


def temp_name(path: str | Path, token: str) -> str:
    """The temp file beside ``path`` whose random part is ``token`` (16 hex digits)."""
    folder, name = os.path.split(os.fspath(path))
    return os.path.join(folder, f".{name}.mwgen-tmp-{token}")


def stage_bytes(path: Path, data: bytes, token: str | None = None) -> Path:
    """``data`` in a new temp file beside ``path``, under a name nobody can predict
    (``token``: 16 random hex digits, made here unless given), created exclusively and
    never through a link; raises ``OSError`` (nothing is left behind). The one
    temp-file writer: output files, the manifest and the user cache."""
    tmp = Path(temp_name(path, token or secrets.token_hex(8)))
    fd = _open_new(tmp)
    try:
        _write_all(fd, data)
    except BaseException:
        os.close(fd)
        _unlink_quietly(tmp)
        raise
    os.close(fd)
    return tmp


def _stage(path: Path, data: bytes, display: str, token: str | None = None) -> Path:
    """:func:`stage_bytes`, its failure one located line."""
    try:
        return stage_bytes(path, data, token)
    except OSError as err:
        raise _write_error(err, display) from None


def _write_error(err: OSError, display: str) -> OutputError:
    reason = "disk full" if err.errno == errno.ENOSPC else (err.strerror or str(err))
    return OutputError(file=display, message=f"cannot write: {reason}")


def _unlink_quietly(path: str | Path) -> None:
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


def _replace_manifest(output_dir: Path, data: bytes | None, display: str) -> None:
    """Atomically make the manifest ``data`` (None: remove it)."""
    path = output_dir / MANIFEST
    if data is None:
        _unlink_quietly(path)
        return
    atomic_write(path, data, f"{display}/{MANIFEST}")


def _make_folders(folder: Path, output_dir: Path, made: list[str], display: str,
                  note: Callable[[Path], None] = lambda path: None) -> None:
    """Create ``folder`` and missing parents below ``output_dir``, remembering each
    (``note`` is told of each folder before it is made)."""
    missing = []
    current = folder
    while current != output_dir and not current.is_dir():
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        note(path)
        try:
            os.mkdir(path)
        except FileExistsError:
            # Made meanwhile (by a sibling -j worker, say): staged into only if it is
            # a real folder, never a link or file that appeared at its name.
            try:
                real = stat.S_ISDIR(os.lstat(path).st_mode)
            except OSError:
                real = False
            if not real:
                raise OutputError(file=display, message=f"cannot create folder {path.name}: "
                                  "something that is not a folder appeared there while "
                                  "rendering") from None
            continue
        except OSError as err:
            raise OutputError(file=display, message=f"cannot create folder {path.name}: "
                                                    f"{err.strerror or err}") from None
        made.append(os.fspath(path))


# -- the writer -----------------------------------------------------------------------
@dataclass(slots=True)
class Staged:
    """What checking and staging one rendered file did: all the writer keeps of it.

    Small and picklable, so that a forked ``-j`` worker can stage the files it renders
    and send back only this (no bytes), for the render's own process to record.
    """

    rel: str
    digest: bytes  # sha256 of the rendered bytes
    template: str
    scope: str
    unchanged: bool = False  # the bytes are already there
    token: bytes = b""  # staged under this temp name (8 random bytes), else not staged
    replaced: Entry | None = None  # the generated file now at the path (then replaced)
    edited: bool = False  # ... edited by hand since it was generated
    problems: tuple[Problem, ...] = ()
    made: tuple[str, ...] = ()  # folders made for it, parents first


class _Stager:
    """Checks and stages each rendered file as it arrives, keeping only its manifest
    entry and its temp file's name, so memory does not grow with the tree's bytes.

    Until the renames nothing in ``output/`` changes but new temp files and new
    folders, each remembered, so :meth:`undo` makes the tree byte-identical again.
    After a problem, files are still checked (every problem is reported) but no
    longer staged: the render will stop and it would only be undone.

    Taking a file is two steps: :meth:`stage` (check it, write its temp file) and
    :meth:`record` (remember what that did). A ``-j`` render forks its workers after
    :meth:`prepare`, so each worker stages what it renders, in parallel, and the
    render's process records in plan order (the engine's ``SplitSink``).
    """

    def __init__(self, output_dir: Path, old: Manifest, report: WriteReport,
                 checked: set[str], display: str) -> None:
        self.output_dir, self.old, self.report = output_dir, old, report
        self.checked, self.display = checked, display
        self.root = os.fspath(output_dir)
        #: Every file of the render: path -> (sha256 digest, template, scope).
        self.entries: dict[str, tuple[bytes, str, str]] = {}
        #: Owned bytes at a staged path now (their entry, sha256 of the bytes on disk).
        self.replaced: dict[str, Entry] = {}
        # The staged files, all that is kept of them until the renames: no bytes, no
        # Path; the random part of each one's temp name is 8 bytes of ``tokens``.
        self.staged: list[str] = []
        self.tokens = bytearray()
        self.marker: str | None = None  # the _STAGING temp file, once created
        self.marker_fd = -1  # open while self.marker is set
        self.made: list[str] = []  # folders created, parents first
        self.problems: list[Problem] = []
        self.stopped = False  # a problem was found: stage nothing more
        self.forked = False  # workers stage too: what they staged may not all be recorded
        self._names: dict[str, str] = {}  # one string object per template and scope

    def __call__(self, rendered: Any) -> None:
        """Take one rendered file: check it, stage it, record it."""
        self.record(self.stage(rendered))

    def prepare(self) -> None:
        """Before workers are forked to stage: the marker exists (they append the
        folders they make to it), and :meth:`undo` also sweeps the tree for temp files
        a worker staged but could not report (it was killed, say)."""
        if self.marker is None:
            self._mark(self.display)
        self.forked = True

    def stage(self, rendered: Any) -> Staged:
        """Check one rendered file's path and stage it, unless its bytes are already
        there or a problem was found. Of the stager it changes only its ``checked``
        folders and, in a render without workers, creates the marker (in a worker,
        whose copy of the stager is its own, :meth:`prepare` made it already)."""
        rel, content, shown = rendered.path, rendered.content, f"{self.display}/{rendered.path}"
        done = Staged(rel, hashlib.sha256(content).digest(), rendered.template, rendered.scope)
        try:
            path = safe_path(self.output_dir, rel, self.display, self.checked)
            current = read_path(path, shown)
        except OutputError as err:
            done.problems = tuple(err.problems)
            return done
        if current == content:
            done.unchanged = True
            return done
        if current == DIRECTORY:
            done.problems = (Problem(file=shown, message="is a folder where mwgen writes a "
                                                         "file (move it away)"),)
            return done
        if current is not None and not self.old.owns(rel):
            done.problems = (Problem(file=shown, message="exists and was not generated by "
                                     "mwgen: refusing to overwrite it (move it away, or "
                                     "change the template's path)"),)
            return done
        if current is not None:
            digest = sha256(current)
            done.edited = not self.old.generated(rel, digest)
            # Whatever is there now stays "generated" until the rename lands.
            done.replaced = {**self.old.matching(rel, current), "sha256": digest}
        if self.stopped:
            return done
        if self.marker is None:
            self._mark(shown)
        parent, token = os.path.dirname(os.fspath(path)), secrets.token_bytes(8)
        made: list[str] = []
        try:
            if parent != self.root and parent not in self.checked:
                _make_folders(path.parent, self.output_dir, made, shown, self._note)
            _stage(path, content, shown, token.hex())
        except BaseException:
            self.made.extend(made)  # never recorded: undo must still find them
            raise
        done.made, done.token = tuple(made), token
        return done

    def record(self, done: Staged) -> None:
        """Remember what staging one file did (in plan order: the report and the
        manifest list files as they were planned)."""
        rel, name = done.rel, self._names.setdefault
        self.entries[rel] = (done.digest, name(done.template, done.template),
                             name(done.scope, done.scope))
        self.made.extend(done.made)
        if done.problems:
            self.problems.extend(done.problems)
            self.stopped = True
            return
        if done.unchanged:
            self.report.unchanged.append(rel)
            return
        if done.replaced is not None:
            if done.edited:
                self.report.overwrote_edits.append(rel)
            self.replaced[rel] = done.replaced
        if done.token:
            self.staged.append(rel)
            self.tokens += done.token

    def _mark(self, shown: str) -> None:
        """Create the staging marker, kept open: each folder is listed in it before
        it is made (a failure is the file's: writing it is what cannot be done)."""
        path = temp_name(self.output_dir / _STAGING, secrets.token_hex(8))
        try:
            # O_APPEND: forked workers write to it too, each line at the end
            self.marker_fd = os.open(path, _NEW_FILE | os.O_APPEND, 0o666)
        except OSError as err:
            raise _write_error(err, shown) from None
        self.marker = path

    def _note(self, folder: Path) -> None:
        """List ``folder`` in the marker before it is made: a render killed between
        making it and staging into it leaves it empty, with no temp file to find it by."""
        rel = os.path.relpath(folder, self.root)
        try:
            _write_all(self.marker_fd, os.fsencode(rel) + b"\n")
        except OSError as err:
            raise _write_error(err, f"{self.display}/{rel}") from None

    def temp(self, i: int) -> str:
        """The temp file of the ``i``-th staged file."""
        return temp_name(os.path.join(self.root, self.staged[i]),
                         self.tokens[8 * i:8 * i + 8].hex())

    def check(self) -> None:
        if self.problems:
            raise OutputError.many(dict.fromkeys(self.problems))  # a folder link: once

    def undo(self) -> None:
        """Remove every temp file and folder this render made (after forked workers:
        also any they staged but did not report, as the next render would)."""
        for i in range(len(self.staged)):
            _unlink_quietly(self.temp(i))
        for folder in reversed(self.made):
            try:
                os.rmdir(folder)
            except OSError:
                pass
        if self.forked and self.marker is not None:
            _remove_temp_files(self.output_dir, recursive=True)  # the marker's folders too
        self.staged, self.tokens, self.made = [], bytearray(), []
        self.unmark()

    def unmark(self) -> None:
        """Remove the staging marker: nothing staged is left, or the intent says so."""
        if self.marker is not None:
            os.close(self.marker_fd)
            _unlink_quietly(self.marker)
            self.marker = None


#: ``produce(take)`` calls ``take(rendered_file)`` per file and returns the scopes.
Produce = Callable[[Callable[[Any], None]], set[str]]


def write_tree(output_dir: Path, files: Mapping[str, Any], scopes: set[str], *,
               live: set[str] | None = None, rebuild: bool = False,
               inputs: Mapping[str, str] | None = None, display: str = "output") -> WriteReport:
    """Make ``output_dir`` hold ``files`` (path -> RenderedFile) for ``scopes``: what
    :func:`write_stream` does, for a render already held in memory."""
    def produce(take: Callable[[Any], None]) -> set[str]:
        for rendered in files.values():
            take(rendered)
        return scopes

    return write_stream(output_dir, produce, live=live, rebuild=rebuild, inputs=inputs,
                        display=display)


def write_stream(output_dir: Path, produce: Produce, *, live: set[str] | None = None,
                 rebuild: bool = False, inputs: Mapping[str, str] | None = None,
                 display: str = "output") -> WriteReport:
    """Make ``output_dir`` hold what ``produce`` renders, staging each file as it comes.

    ``produce(take)`` calls ``take(rendered_file)`` once per file as soon as it is
    rendered (the file is checked and staged at once, and its bytes are not kept) and
    returns the scopes the render is authoritative for; if it raises, everything staged
    is undone and a first render leaves no output folder. Generated files of other
    scopes are left alone (a ``-t`` render), except that with ``live`` (the scopes the
    project has: a render of the whole project) files of scopes not in ``live`` (a
    removed environment, region or target) are removed. ``rebuild`` ignores a broken
    manifest and salvages what it can (see :meth:`Manifest.salvage`); files whose
    bytes equal the render are adopted. ``inputs`` (scope -> input digest,
    :mod:`mwgen.incremental`) are remembered in the user cache, so the next render of
    unchanged inputs is a no-op.
    """
    report = WriteReport()
    created = _missing_top(output_dir)
    try:
        with locked(output_dir, display):
            final, scopes = _write(output_dir, produce, live, rebuild, report, display)
    except BaseException:
        if created is not None:  # a first render that failed: no folder left behind
            _prune_empty_dirs(output_dir, created.parent)
        raise
    if inputs:
        from mwgen.incremental import remember

        remember(final, dict(inputs), scopes)
    return report


def _write(output_dir: Path, produce: Produce, live: set[str] | None, rebuild: bool,
           report: WriteReport, display: str) -> tuple[Manifest, set[str]]:
    """Stage while rendering, then intent, renames, stale files and the manifest."""
    old = Manifest.salvage(output_dir, display) if rebuild else Manifest.load(output_dir, display)
    # A render stopped while staging (its marker) or renaming (its intent) may have
    # left temp files anywhere; otherwise only at the root (a manifest being written).
    _remove_temp_files(output_dir, recursive=bool(old.pending) or stopped_render(output_dir))
    checked: set[str] = set()  # folders known not to be links
    stager = _Stager(output_dir, old, report, checked, display)
    try:
        scopes = produce(stager)
        stager.check()
        stale = _plan_stale(output_dir, old, stager.entries, scopes, live, checked, display)
    except BaseException:
        stager.undo()
        raise
    new_files: dict[str, Entry] = {}
    while stager.entries:  # each tuple freed as its entry is made
        rel, (sha, template, scope) = stager.entries.popitem()
        new_files[rel] = {"sha256": sha.hex(), "template": template, "scope": scope}
    kept = {rel: old.matching(rel, read_entry(output_dir, rel, old, checked)
                              if rel in old.pending else None)
            for rel in old.owned() if rel not in new_files and rel not in stale}
    if stager.staged:
        _commit(output_dir, old, stager, new_files, display)
        report.written.extend(stager.staged)
    stager.unmark()  # prepared for workers that found nothing to stage
    for rel, (path, current) in stale.items():
        _remove_stale(output_dir, rel, path, current, old, report, display)
    final = Manifest(files={**kept, **new_files})
    final_bytes = final.dump()  # not before: a large tree's intent is dumped first
    if not _holds(output_dir / MANIFEST, final_bytes):
        _replace_manifest(output_dir, final_bytes, display)
    return final, scopes


def _holds(path: Path, data: bytes) -> bool:
    """Whether the file at ``path`` holds exactly ``data``; one of another size (the
    intent of a large render, say) is not read."""
    try:
        if not stat.S_ISREG((st := os.lstat(path)).st_mode) or st.st_size != len(data):
            return False
    except OSError:
        return False
    return read_nofollow(path) == data


def _missing_top(path: Path) -> Path | None:
    """The highest folder of ``path`` (itself included) that does not exist yet."""
    top = None
    while not os.path.lexists(path):
        top, parent = path, path.parent
        if parent == path:
            break
        path = parent
    return top


def _plan_stale(output_dir: Path, old: Manifest, files: Mapping[str, Any], scopes: set[str],
                live: set[str] | None, checked: set[str],
                display: str) -> dict[str, tuple[Path, str | None]]:
    """The generated files this render no longer produces, with what is there now
    (None: nothing, :data:`_FOLDER`, else the sha256 of its bytes); any problem stops
    the render here, before any change."""
    stale: dict[str, tuple[Path, str | None]] = {}
    problems: list[Problem] = []
    for rel in old.owned():
        scope = old.entry(rel)["scope"]
        if rel in files or not (scope in scopes or (live is not None and scope not in live)):
            continue
        try:
            path = entry_path(output_dir, rel, old, checked)
            current = read_path(path, f"{display}/{rel}")
        except OutputError as err:
            problems.extend(err.problems)
            continue
        stale[rel] = (path, None if current is None else
                      _FOLDER if current == DIRECTORY else sha256(current))
    if problems:
        raise OutputError.many(dict.fromkeys(problems))  # a folder link: once, not per file
    return stale


def _commit(output_dir: Path, old: Manifest, stager: _Stager,
            new_files: Mapping[str, Entry], display: str) -> None:
    """Record the intent (undoing the staging if that fails), then the renames."""
    intent = Manifest(files=dict(old.files), pending=dict(old.pending))
    for rel in stager.staged:
        if rel in stager.replaced:
            intent.files[rel] = stager.replaced[rel]
        intent.pending[rel] = new_files[rel]
    try:
        _replace_manifest(output_dir, intent.dump(), display)
    except BaseException:
        stager.undo()  # the manifest is replaced atomically: the old one is in place
        raise
    del intent
    stager.unmark()  # from here the intent tells a next render to clean up
    staged, root = stager.staged, os.fspath(output_dir)
    for i, rel in enumerate(staged):
        try:
            os.replace(stager.temp(i), os.path.join(root, rel))
        except OSError as err:
            for rest in range(i, len(staged)):
                _unlink_quietly(stager.temp(rest))
            reason = _write_error(err, "").problems[0].message
            raise OutputError(file=f"{display}/{rel}", message=f"{reason}; "
                              f"{i} of {len(staged)} files were replaced, and the manifest "
                              "records both versions of each, so the next `mwgen render` "
                              "completes the tree") from None


#: What :func:`_plan_stale` records for a folder where a stale file was.
_FOLDER = "folder"


def _remove_stale(output_dir: Path, rel: str, path: Path, current: str | None,
                  old: Manifest, report: WriteReport, display: str) -> None:
    """Delete a generated file no longer produced (``current``: the sha256 of its bytes,
    read while planning), unless it was edited by hand."""
    if current is None:
        return
    if current == _FOLDER or not old.generated(rel, current):
        report.kept_edited.append(rel)  # edited by hand: keep it, disown it
        return
    try:
        os.unlink(path)
    except OSError as err:
        raise OutputError(file=f"{display}/{rel}",
                          message=f"cannot remove: {err.strerror or err}") from None
    report.removed.append(rel)
    _prune_empty_dirs(path.parent, output_dir)


def stopped_render(output_dir: Path) -> bool:
    """Whether a render was stopped while it wrote (a temp file at the output root:
    the staging marker, or a manifest being replaced): then the next render must not
    be skipped, so that it removes what was left. One listing of the root; a link at
    such a name is not mwgen's (it is never removed, so it must not count)."""
    try:
        with os.scandir(output_dir) as entries:
            return any(_TEMP.match(entry.name) and entry.is_file(follow_symlinks=False)
                       for entry in entries)
    except OSError:
        return False


def _remove_temp_files(output_dir: Path, recursive: bool) -> None:
    """Delete the temp files a stopped render left at the root of ``output_dir`` or
    anywhere below it (only names :func:`_stage` makes, regular files only; links are
    neither followed nor removed), and the folders that then hold nothing: that render
    made them."""
    emptied: list[str] = []
    listed: set[str] = set()  # folders a stopped render made (its staging markers)
    for folder, dirs, names in os.walk(output_dir):  # never descends into a linked folder
        if not recursive:
            dirs[:] = []
        removed = False
        for name in names:
            if _TEMP.match(name):
                path = os.path.join(folder, name)
                try:
                    regular = stat.S_ISREG(os.lstat(path).st_mode)
                except OSError:
                    continue
                if regular:
                    if folder == os.fspath(output_dir) and name.startswith(f".{_STAGING}."):
                        listed.update(_marked_folders(output_dir, path))
                    _unlink_quietly(path)
                    removed = True
        if removed:
            emptied.append(folder)
    for folder in reversed(emptied):
        _prune_empty_dirs(Path(folder), output_dir)
    for rel in sorted(listed, key=lambda rel: -rel.count("/")):  # deepest first
        _remove_made_folder(output_dir, rel)


def _marked_folders(output_dir: Path, marker: str) -> list[str]:
    """The folders a staging marker lists (one relative path per line); anything that
    is not a plain relative path below ``output_dir`` is ignored, not trusted."""
    try:
        data = read_nofollow(Path(marker))
    except OSError:
        return []
    if not isinstance(data, bytes):
        return []
    folders = []
    for line in data.split(b"\n"):
        rel = os.fsdecode(line)
        parts = rel.split("/")
        if rel and not os.path.isabs(rel) and all(p not in ("", ".", "..") for p in parts):
            folders.append(rel)
    return folders


def _remove_made_folder(output_dir: Path, rel: str) -> None:
    """Remove the folder ``rel`` if it is empty and a real folder all the way down
    from ``output_dir`` (no link on the way: nothing outside is ever touched)."""
    path = os.fspath(output_dir)
    for part in rel.split("/"):
        path = os.path.join(path, part)
        try:
            if not stat.S_ISDIR(os.lstat(path).st_mode):
                return
        except OSError:
            return
    try:
        os.rmdir(path)
    except OSError:
        pass


def _prune_empty_dirs(folder: Path, root: Path) -> None:
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
