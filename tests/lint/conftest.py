"""Shared helpers of the lint tests: case files, the reference folder, an isolated environment.

``make_project`` (a throw-away project whose output/ holds the files a test needs) is in
tests/conftest.py, shared with tests/test_schemafetch.py and tests/test_schemastore.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CASES = Path(__file__).parent / "cases"
TARGET_DIR = "output/k8s/production/us-east-1"


def isolate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test writes to the real cache or picks up a developer's kubeconform setting.

    Also the autouse fixture of the lint-related tests outside this folder
    (tests/test_schemafetch.py, tests/test_schemastore.py)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    for name in ("MWGEN_CACHE_DIR", "MWGEN_KUBECONFORM", "MWGEN_PROJECT", "MWGEN_SCHEMA_PATH",
                 "MWGEN_SCHEMA_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)


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
