"""Suite-wide pytest options."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

#: ``make_project(files)`` -> a project root (see the fixture).
MakeProject = Callable[..., Path]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="Rewrite tests/golden/<case>/expected/ from a fresh render "
                          "(review the git diff before committing).")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True only when the run was started with ``--update-golden``."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def mini_cwd(tmp_path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A writable copy of tests/fixtures/mini, made the working directory."""
    from tests.helpers import FIXTURES, copy_project

    root = copy_project(FIXTURES / "mini", tmp_path / "mini")
    monkeypatch.chdir(root)
    return root


@pytest.fixture(autouse=True, scope="session")
def _private_user_cache(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """No test reads or writes the real ``~/.cache/mwgen``: one cache for the session.

    Tests that need a cold cache set their own ``XDG_CACHE_HOME`` on top of this.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        patch.delenv("MWGEN_CACHE_DIR", raising=False)
        yield


@pytest.fixture(autouse=True, scope="session")
def _self_checking_emitter():  # type: ignore[no-untyped-def]
    """Every render in the suite (subprocesses included) reads each emitted YAML stream
    back and compares it with its data (off in normal use: see mwgen.render.yamlfmt)."""
    from mwgen.render.yamlfmt import SELF_CHECK_ENV

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SELF_CHECK_ENV, "1")
        yield


@pytest.fixture
def cold_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user cache of this test's own (``MWGEN_CACHE_DIR``): the folder."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("MWGEN_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """``make_project({"output/...": text})`` -> the root of a minimal mwgen project
    (values/defaults.yaml with a Kubernetes version, output/ holding ``files``): lint tests."""

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
