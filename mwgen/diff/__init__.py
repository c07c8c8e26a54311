"""``mwgen diff`` as a library: what a render would change, file by file and in meaning.

::

    result = diff_output(project, project.select(["production/*"]))
    print(REPORTERS["text"]().report(result))
    result.ok  # False when anything differs: the CI gate

:func:`diff_output` renders in memory and compares with the committed ``output/``;
:func:`diff_against` renders the inputs of a git revision too and compares the two
renders. Neither writes anything.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mwgen.diff.compare import DiffResult, FileDiff, compare_renders, compare_with_output
from mwgen.diff.report import REPORTERS
from mwgen.errors import MwgenError, Problem

if TYPE_CHECKING:
    from mwgen.project import Project, Target

__all__ = ["diff_output", "diff_against", "DiffResult", "FileDiff", "REPORTERS"]


def diff_output(project: Project, targets: Sequence[Target] | None = None, *,
                jobs: int = 1) -> DiffResult:
    """A fresh render of ``targets`` (default: all) against ``output/``.

    Without ``targets`` the render owns the whole tree, so generated files of a
    scope the project no longer has (a removed environment, region or target) show
    as removed.
    """
    from mwgen.output import output_display
    from mwgen.render.engine import render

    chosen = list(project.targets() if targets is None else targets)
    result = render(project, chosen, jobs=jobs)
    out = compare_with_output(result, project.output_dir,
                              display=output_display(project, project.output_dir),
                              full=targets is None)
    out.targets = [t.name for t in chosen]
    return out


def diff_against(project: Project, ref: str, patterns: Sequence[str] = (), *,
                 jobs: int = 1) -> DiffResult:
    """What the working tree's inputs change relative to the inputs at git ``ref``.

    ``patterns`` (``-t``) select targets on both sides; a target that exists on one
    side only shows as all-added or all-removed files. ``-f``/``--set`` given to
    ``project`` apply to the working-tree side only.
    """
    from mwgen.diff.gitref import extract_inputs
    from mwgen.output import output_display
    from mwgen.project import load_project, target_matches
    from mwgen.render.engine import render

    new_targets = project.select(patterns) if patterns else project.targets()
    new = render(project, new_targets, jobs=jobs)
    with tempfile.TemporaryDirectory(prefix="mwgen-diff-") as tmp:
        root = extract_inputs(project.root, ref, Path(tmp))
        try:
            base = load_project(root, search=False)
            old_targets = [t for t in base.targets()
                           if not patterns or target_matches(t.name, patterns)]
            old = render(base, old_targets, jobs=jobs)
        except MwgenError as err:
            raise _at_ref(err, ref) from None
    out = compare_renders(old.files, new.files, old_label=ref,
                          display=output_display(project, project.output_dir))
    out.against = ref
    out.targets = list(dict.fromkeys([*(t.name for t in old_targets),
                                      *(t.name for t in new_targets)]))
    return out


def _at_ref(err: MwgenError, ref: str) -> MwgenError:
    """The same error, its files named as ``REF:path`` so nobody looks in the tree."""
    problems = [Problem(**{**p.to_json(), "file": f"{ref}:{p.file}",
                           "targets": tuple(p.targets)}) for p in err.problems]
    out = type(err).many(problems) if problems else MwgenError(f"{ref}: {err.message}")
    out.exit_code = err.exit_code
    return out
