"""The group in ``mwgen/cli/__init__.py``: ``--project``, ``--version``, ``--help``, the
command table, and the one handler that turns errors into a line and an exit code."""

from __future__ import annotations

import pytest

from tests.helpers import FIXTURES, mwgen

MINI = FIXTURES / "mini"


def test_search_upward_from_a_subfolder(monkeypatch):
    monkeypatch.chdir(MINI / "templates" / "_lib")
    assert mwgen("targets").exit_code == 0


def test_no_project_is_exit_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = mwgen("targets")
    assert result.exit_code == 2
    assert "no project found" in result.stderr


def test_a_bug_is_one_line_and_exit_2_unless_debugging(monkeypatch):
    def boom(self):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("mwgen.project.Project.targets", boom)
    result = mwgen("--project", str(MINI), "targets")
    assert result.exit_code == 2
    assert result.stderr == ("mwgen: internal error: ZeroDivisionError: boom (a bug in mwgen; "
                             "run with MWGEN_DEBUG=1 for the traceback)\n")
    monkeypatch.setenv("MWGEN_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        mwgen("--project", str(MINI), "targets")
