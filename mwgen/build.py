"""Render a project to disk in one call: the incremental render the CLI runs.

``mwgen render`` is this function plus option parsing and a summary line, so a
library user gets exactly what the command does (validation, fresh scopes skipped,
stale scopes rendered, the output tree written atomically and pruned)::

    from mwgen import load_project
    from mwgen.build import render_to_disk

    report = render_to_disk(load_project("."), targets=["production/*"])
    print(len(report.written), "written")
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mwgen.project import Project, Target

__all__ = ["BuildReport", "render_to_disk", "inputs_unchanged"]


@dataclass
class BuildReport:
    """What a render to disk did, by output-relative path."""

    targets: list[Target]
    output_dir: Path
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept_edited: list[str] = field(default_factory=list)
    overwrote_edits: list[str] = field(default_factory=list)
    seconds: float = 0.0


def render_to_disk(project: Project, targets: Sequence[str] = (), *, jobs: int = 1,
                   output_dir: Path | None = None, rebuild: bool = False,
                   progress: Callable[[int, int], None] | None = None) -> BuildReport:
    """Validate, render what is stale and write it under ``output_dir`` (default: the
    project's output folder).

    ``targets`` are ``ENV/REGION`` globs; without them the render owns the whole tree
    and prunes generated files of scopes that no longer exist. ``rebuild`` rebuilds
    the manifest from a full render (after a merge conflict in it). Raises
    :class:`~mwgen.errors.MwgenError` subclasses for every refusal.
    """
    from mwgen.errors import UsageError
    from mwgen.incremental import dead_scopes, fresh_scopes, scope_digests
    from mwgen.output import Manifest, output_display, write_stream

    if rebuild and targets:
        raise UsageError("--rebuild-manifest needs a render of the whole project; "
                         "it cannot be combined with -t")
    started = time.perf_counter()
    chosen = project.select(targets)
    full = not targets  # a render of the whole project owns the whole tree
    out = Path(output_dir) if output_dir else project.output_dir
    display = output_display(project, out)
    digests = scope_digests(project, chosen)
    if rebuild:
        manifest, fresh = Manifest(display=display), set()
    else:
        manifest = Manifest.load(out, display)
        fresh = fresh_scopes(out, manifest, digests)
    # Files of fresh scopes are not rendered; they count as unchanged.
    skipped = [r for r, e in manifest.files.items() if e["scope"] in fresh]
    dead = full and fresh == set(digests) and bool(dead_scopes(manifest, digests))
    del manifest  # the writer loads its own under the lock: not two copies of a large one
    report = BuildReport(targets=chosen, output_dir=out)
    if fresh == set(digests) and not dead:
        report.unchanged = skipped
    else:
        from mwgen.render.engine import RenderedFile, render

        def produce(take: Callable[[RenderedFile], None]) -> set[str]:
            # Each file is staged as soon as it is rendered: the tree is never held.
            return render(project, chosen, jobs=jobs, skip=fresh, progress=progress,
                          sink=take).scopes

        written = write_stream(out, produce, display=display,
                               live=set(digests) if full else None, rebuild=rebuild,
                               inputs=digests)
        report.written, report.removed = written.written, written.removed
        report.kept_edited, report.overwrote_edits = written.kept_edited, written.overwrote_edits
        report.unchanged = written.unchanged + skipped
    report.seconds = time.perf_counter() - started
    return report


def inputs_unchanged(project: Project, targets: Sequence[str] = ()) -> bool:
    """Whether every chosen scope is fresh (and, for the whole project, no generated
    file belongs to a removed scope): a render would write exactly these bytes.

    The answer of ``mwgen diff --quick``; a manifest problem answers False so that
    the full comparison reports it, located.
    """
    from mwgen.errors import OutputError
    from mwgen.incremental import dead_scopes, fresh_scopes, scope_digests
    from mwgen.output import Manifest, output_display

    out = project.output_dir
    digests = scope_digests(project, project.select(targets))
    try:
        manifest = Manifest.load(out, output_display(project, out))
        if not targets and dead_scopes(manifest, digests):
            return False
        return fresh_scopes(out, manifest, digests) == set(digests)
    except OutputError:
        return False
