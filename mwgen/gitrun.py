"""Running git: one runner, so every git failure reads the same way.

mwgen reads history (promotion gates, ``diff --against``) and commits promotions with
the ``git`` on PATH, never a library. A failure becomes one line naming the git
subcommand and git's own last line of complaint; a missing git says what needed it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from mwgen.errors import MwgenError

__all__ = ["GitError", "run_git", "git_succeeds"]


class GitError(MwgenError):
    """git could not answer (not a repository, an unknown revision, git missing): exit 1."""


def run_git(root: Path, *args: str, why: str = "mwgen reads git", stdin: bytes | None = None,
            error: type[MwgenError] = GitError) -> bytes:
    """Output of ``git -C root ARGS``; ``error`` (one line) when git fails or is missing.

    ``why`` says what needed git, for the message when it is not installed; ``error``
    lets a caller for whom a failure is a usage problem (``diff --against``) raise
    :class:`~mwgen.errors.UsageError` instead.
    """
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], input=stdin,
                              capture_output=True, check=False)
    except FileNotFoundError:
        raise error(f"mwgen: {why}, and git is not installed") from None
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise error(f"mwgen: git {args[0]}: {lines[-1] if lines else 'failed'}")
    return proc.stdout


def git_succeeds(root: Path, *args: str) -> bool:
    """Whether ``git -C root ARGS`` exits 0 (a question, not a failure); False without git."""
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except FileNotFoundError:
        return False
    return proc.returncode == 0
