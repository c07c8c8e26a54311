"""Rendered throw-away projects for the output-tree tests, and a spy on file access."""

from __future__ import annotations

import builtins
import io
import os
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.helpers import FIXTURES, copy_project, mwgen

MINI = FIXTURES / "mini"


@pytest.fixture(autouse=True)
def _isolated_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A cache of this test's own: each test starts as a fresh machine."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.delenv("MWGEN_CACHE_DIR", raising=False)
    monkeypatch.delenv("MWGEN_PROJECT", raising=False)


@pytest.fixture(scope="session")
def _mini_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(MINI, tmp_path_factory.mktemp("mini") / "project")
    result = mwgen("--project", str(root), "render")
    assert result.exit_code == 0, result.stderr
    return root


@pytest.fixture
def mini(_mini_master: Path, tmp_path: Path) -> Path:
    """A private, rendered copy of the mini fixture, beside an ``outside`` folder."""
    root = Path(shutil.copytree(_mini_master, tmp_path / "project", symlinks=True))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("not mwgen's\n")
    return root


class AccessSpy:
    """Every path opened (os.open, open, io.open) below ``watched``."""

    def __init__(self, watched: Path) -> None:
        self.watched = watched.resolve()
        self.seen: list[str] = []

    def note(self, file: Any) -> None:
        if isinstance(file, int):
            return
        try:
            path = Path(os.fsdecode(file)).resolve()
        except (TypeError, ValueError, OSError):
            return
        if path == self.watched or self.watched in path.parents:
            self.seen.append(str(path))


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[AccessSpy]:
    """Records any open of a path in ``tmp_path/outside`` (through any link)."""
    watcher = AccessSpy(tmp_path / "outside")
    real_os_open, real_open = os.open, builtins.open

    def os_open(path: Any, *args: Any, **kwargs: Any) -> int:
        fd = real_os_open(path, *args, **kwargs)
        try:
            watcher.note(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            watcher.note(path)
        return fd

    def py_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        handle = real_open(file, *args, **kwargs)
        try:
            watcher.note(os.readlink(f"/proc/self/fd/{handle.fileno()}"))
        except (OSError, ValueError, AttributeError):
            watcher.note(file)
        return handle

    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(builtins, "open", py_open)
    monkeypatch.setattr(io, "open", py_open)
    yield watcher
