"""Throw-away projects for the diff tests: rendered once, copied per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mwgen.output import write_tree
from mwgen.project import load_project
from mwgen.render.engine import render
from tests.golden.golden_helper import HERE as GOLDEN
from tests.helpers import ROOT, copy_project


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's cache or project setting."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.delenv("MWGEN_CACHE_DIR", raising=False)
    monkeypatch.delenv("MWGEN_PROJECT", raising=False)


def rendered_copy(src: Path, dest: Path) -> Path:
    """``src``'s inputs copied to ``dest`` and rendered there: an up-to-date output/
    that does not depend on whether ``src``'s own output/ is current."""
    copy_project(src, dest)
    project = load_project(dest, search=False)
    result = render(project)
    write_tree(project.output_dir, result.files, result.scopes)
    return dest


@pytest.fixture(scope="session")
def _bundled_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return rendered_copy(ROOT, tmp_path_factory.mktemp("bundled") / "project")


@pytest.fixture(scope="session")
def _minimal_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return rendered_copy(GOLDEN / "minimal", tmp_path_factory.mktemp("minimal") / "project")


@pytest.fixture
def bundled(_bundled_master: Path, tmp_path: Path) -> Path:
    """A private, rendered copy of the bundled MindWeave project."""
    return Path(shutil.copytree(_bundled_master, tmp_path / "bundled", symlinks=True))


@pytest.fixture
def minimal(_minimal_master: Path, tmp_path: Path) -> Path:
    """A private, rendered copy of the small golden fixture project."""
    return Path(shutil.copytree(_minimal_master, tmp_path / "minimal", symlinks=True))


def edit(path: Path, old: str, new: str) -> None:
    """Replace exactly one occurrence of ``old`` (fails loudly if the fixture moved)."""
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new))
