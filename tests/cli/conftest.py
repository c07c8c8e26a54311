"""Fixtures for the click layer's tests: a clean environment and small projects.

The moved command tests keep the fixtures of their old folders: ``minimal`` (a rendered
copy of the small golden project, from tests/diff) and ``make_project`` (a project whose
output/ holds given files, from tests/lint) and ``shop`` (a git repository with
promotable versions, from tests/promote).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diff.conftest import _minimal_master, minimal
from tests.helpers import FIXTURES, copy_project
from tests.lint.conftest import make_project
from tests.promote.conftest import shop

# Fixtures re-used as they are: pytest finds them by name in this module.
__all__ = ["_minimal_master", "make_project", "minimal", "shop"]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's cache, project, kubeconform or schema settings,
    nor runs with MWGEN_DEBUG (which turns the error handler's last net off)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    for name in ("MWGEN_CACHE_DIR", "MWGEN_PROJECT", "MWGEN_KUBECONFORM", "MWGEN_SCHEMA_PATH",
                 "MWGEN_SCHEMA_BASE_URL", "MWGEN_DEBUG"):
        monkeypatch.delenv(name, raising=False)



@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/mini (not the working directory)."""
    return copy_project(FIXTURES / "mini", tmp_path / "mini")
