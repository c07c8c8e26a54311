"""Golden files: fixture projects render to their committed ``expected/`` trees, and
the bundled MindWeave project renders to its committed ``output/`` (the CI proof
that the committed output is current)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mwgen.diff import diff_output
from mwgen.project import load_project
from tests.golden.golden_helper import cases, compare_case, explain, write_expected
from tests.helpers import ROOT


@pytest.mark.parametrize("case", cases(), ids=lambda p: p.name)
def test_case_renders_to_expected(case: Path, update_golden: bool) -> None:
    result, diff = compare_case(case)
    if update_golden:
        write_expected(case, result)
        return
    assert diff.ok, explain(diff, "pytest --update-golden, then review `git diff tests/golden`")


def test_bundled_project_output_is_current() -> None:
    """The repository's own output/ is exactly what its values and templates give."""
    project = load_project(ROOT, search=False)
    diff = diff_output(project)
    assert diff.ok, explain(diff, "mwgen render, then commit output/")


def test_there_is_a_golden_case() -> None:
    assert cases(), "tests/golden has no case folders"
