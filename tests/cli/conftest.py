"""Fixtures for the click layer's tests: a clean environment and small projects.

The moved command tests keep the fixtures of their old folders: ``minimal`` (a rendered
copy of the small golden project, from tests/diff) and the isolation of tests/lint;
``shop`` (a git repository with promotable versions) comes from tests/promote.
``make_project`` and ``mini_cwd`` are suite-wide (tests/conftest.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diff.conftest import _minimal_master, minimal
from tests.helpers import FIXTURES, copy_project
from tests.lint.conftest import isolate
from tests.promote.conftest import shop

# Fixtures re-used as they are: pytest finds them by name in this module.
__all__ = ["_minimal_master", "minimal", "shop"]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's cache, project, kubeconform or schema settings,
    nor runs with MWGEN_DEBUG (which turns the error handler's last net off)."""
    isolate(monkeypatch, tmp_path)
    monkeypatch.delenv("MWGEN_DEBUG", raising=False)


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/mini (not the working directory)."""
    return copy_project(FIXTURES / "mini", tmp_path / "mini")
