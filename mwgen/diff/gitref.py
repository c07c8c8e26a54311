"""The inputs of a git revision, extracted without touching the working tree.

``mwgen diff --against REF`` renders ``values/``, ``templates/``, ``schemas/``,
``mwgen.yaml`` and the files it names (schema, extensions) as they are at REF (``git archive`` into a temporary folder) with this mwgen, and
compares that render with the working tree's. The checkout, index and stash are
never touched, so it is safe in a dirty tree and in CI.
"""

from __future__ import annotations

import io
import tarfile
import tempfile
from pathlib import Path

from mwgen.config import CONFIG_FILE
from mwgen.errors import MwgenError, UsageError
from mwgen.gitrun import run_git

INPUTS = ("values", "templates", "schemas")


def _git(root: Path, *args: str) -> bytes:
    """``git -C root ARGS`` (:func:`mwgen.gitrun.run_git`); a failure is a usage error:
    the revision asked for cannot be read."""
    return run_git(root, *args, why="--against reads a git revision", error=UsageError)


def resolve(root: Path, ref: str) -> str:
    """The commit ``ref`` names; a clear one-line error when it names none."""
    if ref.startswith("-"):
        raise UsageError(f"mwgen: '{ref}' is not a git revision")
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"
                    ).decode().strip()
    except UsageError:
        _git(root, "rev-parse", "--show-toplevel")  # "not a git repository" if so
        raise UsageError(f"mwgen: '{ref}' is not a commit in this repository") from None


def _configured(root: Path, commit: str, prefix: str) -> list[str]:
    """Inputs REF's ``mwgen.yaml`` names outside the usual folders (its schema and
    extension file), when REF has them."""
    from mwgen.config import load_config

    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, CONFIG_FILE).write_bytes(
            _git(root, "show", f"{commit}:{prefix}{CONFIG_FILE}"))
        config = load_config(Path(tmp))
    names = [n for n in (config.schema, config.extensions) if n]
    return [f"{prefix}{n}" for n in names
            if _git(root, "ls-tree", "--name-only", commit, "--", f"{prefix}{n}").strip()]


def extract_inputs(root: Path, ref: str, dest: Path) -> Path:
    """Write REF's ``values/``, ``templates/`` and ``schemas/`` of the project at
    ``root`` (which may sit below the repository root) into ``dest``; return the
    project folder inside ``dest``."""
    commit = resolve(root, ref)
    top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    root = top  # pathspecs below are relative to the repository root
    present = [f"{prefix}{name}" for name in INPUTS + (CONFIG_FILE,)
               if _git(root, "ls-tree", "--name-only", commit, "--", f"{prefix}{name}").strip()]
    if f"{prefix}values" not in present:
        raise MwgenError(f"mwgen: {ref} has no {prefix}values/ folder: nothing to render")
    if f"{prefix}{CONFIG_FILE}" in present:
        present += _configured(root, commit, prefix)
    archive = _git(root, "archive", "--format=tar", commit, "--", *present)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, filter="data")
        else:  # Python < 3.10.12: git archive holds only regular files and folders
            tar.extractall(dest, members=[m for m in tar.getmembers()
                                          if (m.isfile() or m.isdir()) and ".." not in
                                          Path(m.name).parts and not m.name.startswith("/")])
    project = dest / prefix if prefix else dest
    (project / "output").mkdir(parents=True, exist_ok=True)
    return project
