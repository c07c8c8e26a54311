"""The one git runner (mwgen.gitrun): output on success, one line on failure."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from mwgen.errors import UsageError
from mwgen.gitrun import GitError, git_succeeds, run_git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    for key, value in (("user.name", "t"), ("user.email", "t@example.com")):
        subprocess.run(["git", "-C", str(tmp_path), "config", key, value], check=True)
    return tmp_path


def test_output_and_stdin(repo: Path) -> None:
    (repo / "a.txt").write_text("a\n")
    run_git(repo, "add", "a.txt")
    run_git(repo, "commit", "-q", "-F", "-", stdin=b"first line\n\nbody\n")
    assert run_git(repo, "log", "-1", "--format=%s").decode().strip() == "first line"


def test_a_failure_is_one_line_naming_the_subcommand(repo: Path) -> None:
    with pytest.raises(GitError) as caught:
        run_git(repo, "rev-parse", "--verify", "no-such-ref")
    assert caught.value.lines() == ["mwgen: git rev-parse: fatal: Needed a single revision"]
    assert caught.value.exit_code == 1


def test_the_caller_chooses_the_error_class(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"^mwgen: git rev-parse: .*not a git repository"):
        run_git(tmp_path, "rev-parse", "--show-toplevel", error=UsageError)


def test_missing_git_says_what_needed_it(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(repo / "empty"))
    with pytest.raises(GitError, match=r"^mwgen: promotion gates read git history, and git is "
                                       r"not installed$"):
        run_git(repo, "status", why="promotion gates read git history")
    assert git_succeeds(repo, "status") is False


def test_git_succeeds_is_a_question(repo: Path) -> None:
    assert git_succeeds(repo, "check-ref-format", "--branch", "promote/prod-1")
    assert not git_succeeds(repo, "check-ref-format", "--branch", "bad..name")
