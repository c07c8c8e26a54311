"""Golden-file helper: render a fixture project and compare with its ``expected/`` tree.

A case is a folder ``tests/golden/<case>/`` holding a small project (``values/``,
``templates/``, ``schemas/``) and ``expected/``, the output tree it must render to.
On a mismatch the failure shows mwgen's own semantic and text diff. Refreshing the
expected trees is deliberate, never automatic: ``pytest --update-golden``.
"""

from __future__ import annotations

from pathlib import Path

from mwgen.diff.compare import DiffResult, compare_renders
from mwgen.diff.report import TextReporter
from mwgen.project import load_project
from mwgen.render.engine import RenderedFile, RenderResult, render

HERE = Path(__file__).resolve().parent
EXPECTED = "expected"


def cases() -> list[Path]:
    """Every case folder (one with ``values/defaults.yaml``), by name."""
    return sorted(p for p in HERE.iterdir() if (p / "values" / "defaults.yaml").is_file())


def render_case(case: Path) -> RenderResult:
    return render(load_project(case, search=False))


def expected_tree(folder: Path) -> dict[str, RenderedFile]:
    """The files of an expected tree, shaped like a render's."""
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix():
            RenderedFile(p.relative_to(folder).as_posix(), p.read_bytes(), "", "global")
            for p in sorted(folder.rglob("*")) if p.is_file()}


def compare_case(case: Path) -> tuple[RenderResult, DiffResult]:
    result = render_case(case)
    diff = compare_renders(expected_tree(case / EXPECTED), result.files,
                           old_label="expected", new_label="rendered")
    return result, diff


def write_expected(case: Path, result: RenderResult) -> None:
    """Make ``expected/`` exactly the render (only under ``--update-golden``)."""
    folder = case / EXPECTED
    for rel in expected_tree(folder):
        if rel not in result.files:
            (folder / rel).unlink()
    for rel, f in result.files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != f.content:
            path.write_bytes(f.content)
    for d in sorted(folder.rglob("*"), reverse=True):
        if d.is_dir() and not any(d.iterdir()):
            d.rmdir()


def explain(diff: DiffResult, how_to_refresh: str) -> str:
    """The failure message: semantic + text diff, and the documented way to refresh."""
    return f"{TextReporter().report(diff)}\n\nIf this change is intended: {how_to_refresh}"
