"""Paths below ``output/`` that cannot lead anywhere else.

``output/`` arrives in pull requests (git stores symlinks), and so does the manifest
that names files in it. Every path mwgen reads, writes or deletes there goes through
:func:`safe_path`: relative, normalised, and no component a symlink (checked with
``lstat``, one call per folder thanks to ``checked``); files are then opened with
``O_NOFOLLOW``. ``output/`` itself being a symlink is refused outright.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from mwgen.errors import OutputError

#: What :func:`read_nofollow` returns for a folder standing where a file belongs.
DIRECTORY = b"\0<directory>"
#: Names mwgen never takes from a manifest or a template: its own bookkeeping.
RESERVED = (".mwgen-manifest.json",)


def path_problem(rel: object) -> str | None:
    """Why ``rel`` is not a normalised relative path inside the output folder, or None."""
    if not isinstance(rel, str) or not rel:
        return "path leaves the output folder"
    parts = rel.split("/")
    if rel.startswith("/") or "\0" in rel or any(p in ("", ".", "..") for p in parts):
        return "path leaves the output folder"
    if rel in RESERVED:
        return "names mwgen's own manifest"
    return None


def check_output_dir(output_dir: Path, display: str = "output") -> None:
    """Refuse an output folder that is a symlink or not a folder (absent is fine)."""
    try:
        st = os.lstat(output_dir)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise OutputError(file=display, message="is a symlink: mwgen never writes through "
                                                "links (make it a real folder)")
    if not stat.S_ISDIR(st.st_mode):
        raise OutputError(file=display, message="is not a folder")


def safe_path(output_dir: Path, rel: str, display: str = "output",
              checked: set[str] | None = None) -> Path:
    """``output_dir/rel``, refusing escapes and any symlink on the way.

    Folders are checked with ``lstat``; the last component is left to the caller,
    which opens it with ``O_NOFOLLOW`` (:func:`read_nofollow`), replaces it with a
    rename or unlinks it, none of which follows a link. ``checked`` remembers folders
    already found not to be links: one ``lstat`` per folder, not per file and level.
    """
    reason = path_problem(rel)
    if reason:
        raise OutputError(file=f"{display}/{rel}", message=reason)
    parts = rel.split("/")
    current = os.fspath(output_dir)
    for i in range(len(parts) - 1):
        current = f"{current}/{parts[i]}"
        if checked is not None and current in checked:
            continue
        try:
            mode = os.lstat(current).st_mode
        except (FileNotFoundError, NotADirectoryError):
            break  # nothing below a missing folder can be a link
        shown = f"{display}/{'/'.join(parts[:i + 1])}"
        if stat.S_ISLNK(mode):
            raise OutputError(file=shown, message="is a symlink: mwgen never writes through links")
        if not stat.S_ISDIR(mode):
            raise OutputError(file=shown, message="is a file where mwgen needs a folder "
                                                  "(move it away)")
        if checked is not None:
            checked.add(current)
    return output_dir / rel


def read_nofollow(path: Path) -> bytes | None:
    """The file's bytes; None when absent; :data:`DIRECTORY` for a folder. A symlink
    in the last component raises OSError(ELOOP) instead of being followed."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except (FileNotFoundError, NotADirectoryError):
        return None
    except IsADirectoryError:
        return DIRECTORY
    try:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            return DIRECTORY
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
