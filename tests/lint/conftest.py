"""Shared helpers: throw-away projects whose output/ holds the files a test needs."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

CASES = Path(__file__).parent / "cases"
TARGET_DIR = "output/k8s/production/us-east-1"

MakeProject = Callable[..., Path]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test writes to the real cache or picks up a developer's kubeconform setting."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.delenv("MWGEN_CACHE_DIR", raising=False)
    monkeypatch.delenv("MWGEN_KUBECONFORM", raising=False)
    monkeypatch.delenv("MWGEN_PROJECT", raising=False)


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """``make_project({"output/...": text})`` -> the root of a minimal mwgen project."""

    def make(files: dict[str, str], *, version: str = "1.30") -> Path:
        root = tmp_path / "project"
        (root / "values").mkdir(parents=True, exist_ok=True)
        (root / "values" / "defaults.yaml").write_text(f'kubernetes:\n  version: "{version}"\n')
        (root / "output").mkdir(exist_ok=True)
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        return root

    return make
