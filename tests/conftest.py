"""Suite-wide pytest options."""

from __future__ import annotations

import pytest


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
