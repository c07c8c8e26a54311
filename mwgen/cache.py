"""mwgen's per-user cache folder (``$XDG_CACHE_HOME/mwgen``, else ``~/.cache/mwgen``).

Only for things that are pure functions of their key (a schema that passed the
metaschema check, kubeconform's standalone schemas): deleting it is always safe.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_base() -> Path:
    """``$MWGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/mwgen``, else ``~/.cache/mwgen``
    (not created)."""
    if os.environ.get("MWGEN_CACHE_DIR"):
        return Path(os.environ["MWGEN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "mwgen"


def cache_dir(*parts: str) -> Path | None:
    """The cache folder for ``parts``, created; None when no cache can be written."""
    folder = cache_base().joinpath(*parts)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


def known_good(kind: str, digest: str) -> bool:
    """Whether a check of ``kind`` has passed before on content with ``digest``."""
    folder = cache_dir(kind)
    return folder is not None and (folder / digest).exists()


def remember_good(kind: str, digest: str) -> None:
    """Record a passed check (best effort: an unwritable cache only costs time)."""
    folder = cache_dir(kind)
    if folder is not None:
        try:
            (folder / digest).touch()
        except OSError:
            pass


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so a reader sees the old file or the whole new one
    (mwgen's one temp-file writer, :func:`mwgen.output.stage_bytes`); raises OSError."""
    from mwgen.output import stage_bytes

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = stage_bytes(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
