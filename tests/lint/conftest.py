"""Shared helpers: throw-away projects whose output/ holds the files a test needs."""

from __future__ import annotations

import os
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
    monkeypatch.delenv("MWGEN_SCHEMA_PATH", raising=False)
    monkeypatch.delenv("MWGEN_SCHEMA_BASE_URL", raising=False)


#: the team's reference folder beside the checkout (third-party schemas); may be absent.
#: $MWGEN_TEST_REFERENCE names it for checkouts that do not sit beside it (worktrees).
REFERENCE = Path(os.environ.get("MWGEN_TEST_REFERENCE")
                 or Path(__file__).resolve().parents[2] / ".." / "shared" / "reference")


@pytest.fixture(params=["mwgen", "upstream"])
def schema_source(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with mwgen's own schemas, then with the upstream ones from the
    reference folder as a local schema folder (skipped when it is absent)."""
    if request.param == "upstream":
        if not (REFERENCE / "crd-schemas").is_dir():
            pytest.skip("../shared/reference is not beside this checkout")
        monkeypatch.setenv("MWGEN_SCHEMA_PATH", str(REFERENCE))
    return str(request.param)


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
