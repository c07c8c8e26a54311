"""mwgen's per-user cache folder (``$XDG_CACHE_HOME/mwgen``, else ``~/.cache/mwgen``).

Only for things that are pure functions of their key (a schema that passed the
metaschema check, kubeconform's standalone schemas): deleting it is always safe.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(*parts: str) -> Path | None:
    """The cache folder for ``parts``, created; None when no cache can be written."""
    base = os.environ.get("MWGEN_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    folder = (root if os.environ.get("MWGEN_CACHE_DIR") else root / "mwgen").joinpath(*parts)
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
