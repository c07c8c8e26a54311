"""Check a plan in a staged copy of the project, then write it (and commit it).

Staging copies ``values/`` into a temporary folder beside links to everything else,
writes the planned files there, validates every target against the schema and
renders both projects in memory. Only when that succeeds are the value files and
``output/`` of the real project written, so a promotion that breaks the schema or a
template changes no file. ``--commit`` puts the result on a new branch.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from mwgen.errors import InputError, UsageError, ValidationFailed
from mwgen.gitrun import GitError, git_succeeds
from mwgen.promote.history import git

if TYPE_CHECKING:
    from mwgen.project import Project
    from mwgen.promote.promotion import Promotion
    from mwgen.render.engine import RenderResult

_NOT_LINKED = {"values", ".git", ".venv", "__pycache__"}


def _in_git(root: Path) -> bool:
    try:
        return git(root, "rev-parse", "--is-inside-work-tree").strip() == b"true"
    except GitError:
        return False


def check_clean(project: Project, plan: Promotion, *, output: bool = False) -> None:
    """Refuse when a file the plan edits (or ``output/``) has uncommitted changes."""
    if not _in_git(project.root):
        return
    paths = list(plan.files) + ([project.rel(project.output_dir)] if output else [])
    status = git(project.root, "status", "--porcelain", "-z", "--", *paths).decode()
    for entry in filter(None, status.split("\0")):
        rel = entry[3:]
        raise InputError(file=rel, message="has uncommitted changes: commit or stash them "
                                           "before promoting")


def preview(project: Project, plan: Promotion, *, jobs: int = 1) -> RenderResult:
    """Validate and render the project as the plan leaves it; fill ``plan.diff``."""
    from mwgen.diff.compare import compare_renders
    from mwgen.project import Project as _Project
    from mwgen.render.engine import render

    with tempfile.TemporaryDirectory(prefix="mwgen-promote-") as tmp:
        staged = Path(tmp) / "project"
        staged.mkdir()
        for entry in project.root.iterdir():
            if entry.name not in _NOT_LINKED and entry.resolve() != project.output_dir.resolve():
                (staged / entry.name).symlink_to(entry.resolve())
        shutil.copytree(project.values_dir, staged / "values", symlinks=False)
        for rel, (_, text) in plan.files.items():
            dest = staged / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(text, encoding="utf-8")
        after = _Project(staged)
        problems = after.validate()
        if problems:
            raise ValidationFailed(problems=problems)
        new = render(after, jobs=jobs)
    old = render(project, jobs=jobs)
    plan.diff = compare_renders(old.files, new.files, old_label="a")
    return new


def write(project: Project, plan: Promotion, rendered: RenderResult) -> None:
    """Write the edited value files (atomically), then ``output/``."""
    from mwgen.incremental import scope_digests
    from mwgen.output import atomic_write, write_tree  # the one atomic writer
    from mwgen.project import Project as _Project

    for rel, (_, text) in plan.files.items():
        atomic_write(project.root / rel, text.encode("utf-8"), rel)
    fresh = _Project(project.root)
    write_tree(fresh.output_dir, rendered.files, rendered.scopes,
               display=fresh.rel(fresh.output_dir),
               inputs=scope_digests(fresh, fresh.targets()))


def check_branch(project: Project, plan: Promotion) -> None:
    """Before anything is written: the branch name is valid and free."""
    if not _in_git(project.root):
        raise UsageError(f"mwgen: --commit needs a git repository ({project.root} is not in one)")
    name = plan.branch
    if not git_succeeds(project.root, "check-ref-format", "--branch", name):
        raise UsageError(f"mwgen: '{name}' is not a valid branch name")
    if git_succeeds(project.root, "rev-parse", "--verify", "--quiet", f"refs/heads/{name}"):
        raise InputError(file=project.rel(project.env_file(plan.target)),
                         message=f"branch {name} exists already: this promotion was made "
                                 "before (delete the branch to make it again)")


def commit(project: Project, plan: Promotion) -> str:
    """Commit the value files and ``output/`` on a new branch; returns the commit."""
    root = project.root
    git(root, "checkout", "--quiet", "-b", plan.branch)
    git(root, "add", "-A", "--", *plan.files, project.rel(project.output_dir))
    git(root, "commit", "--quiet", "-F", "-", stdin=plan.commit_message().encode("utf-8"))
    return git(root, "rev-parse", "HEAD").decode().strip()
