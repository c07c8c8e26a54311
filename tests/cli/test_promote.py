"""``mwgen promote``: option checks (exit 2 before the project is opened), which library
call each form makes with which options, the order of check, preview, write and commit,
and the report printed. The library is replaced by recorders here; tests/promote/ runs
the real promotions end to end."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from mwgen import promote as library
from mwgen.project import Project
from mwgen.promote.report import REPORTS
from tests.helpers import FIXTURES, mwgen
from tests.promote.conftest import Shop

MINI = FIXTURES / "mini"


class Library:
    """Records each call the command makes into mwgen.promote and the report."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *, changes: int = 1) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.plan = SimpleNamespace(changes=["change"] * changes)
        results = {"plan_promote": self.plan, "plan_rollback": self.plan,
                   "plan_switch": self.plan, "preview": "rendered", "commit": "c0ffee" * 7,
                   "check_clean": None, "check_branch": None, "write": None}
        for name, value in results.items():
            monkeypatch.setattr(library, name, self._recorder(name, value))
        for fmt in list(REPORTS):
            monkeypatch.setitem(REPORTS, fmt, self._report(fmt))

    def _recorder(self, name: str, value: object) -> Any:
        def call(*args: Any, **kwargs: Any) -> object:
            shown = tuple("PROJECT" if isinstance(a, Project) else
                          "PLAN" if a is self.plan else a for a in args)
            self.calls.append((name, shown, kwargs))
            return value
        return call

    def _report(self, fmt: str) -> Any:
        def report(plan: object, *, dry_run: bool, commit: str) -> str:
            assert plan is self.plan
            return f"{fmt} report, dry_run={dry_run}, commit={commit[:6] or '-'}"
        return report

    def names(self) -> list[str]:
        return [c[0] for c in self.calls]


def run(*args: str) -> Any:
    return mwgen("--project", str(MINI), "promote", *args)


def test_source_target_plans_a_promotion_with_every_option(monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    lib = Library(monkeypatch)
    result = run("dev", "prod", "-s", "web", "--service", "api", "-r", "r1", "--version",
                 "v2", "--force", "--reason", "hotfix", "-j", "3")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, "text report, dry_run=False, commit=-\n", "")
    assert lib.calls == [
        ("plan_promote", ("PROJECT", "dev", "prod"),
         {"services": ("web", "api"), "regions": ("r1",), "version": "v2", "force": True,
          "reason": "hotfix"}),
        ("check_clean", ("PROJECT", "PLAN"), {"output": False}),
        ("preview", ("PROJECT", "PLAN"), {"jobs": 3}),
        ("write", ("PROJECT", "PLAN", "rendered"), {}),
    ]


def test_to_version_plans_a_rollback(monkeypatch: pytest.MonkeyPatch) -> None:
    lib = Library(monkeypatch)
    assert run("prod", "--to-version", "v1", "-r", "r2").exit_code == 0
    assert lib.calls[0] == ("plan_rollback", ("PROJECT", "prod", "v1"),
                            {"services": (), "regions": ("r2",)})


def test_switch_plans_a_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    lib = Library(monkeypatch)
    assert run("prod", "--switch", "-s", "api").exit_code == 0
    assert lib.calls[0] == ("plan_switch", ("PROJECT", "prod"),
                            {"services": ("api",), "regions": ()})


def test_dry_run_previews_and_writes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    lib = Library(monkeypatch)
    result = run("dev", "prod", "--dry-run", "--format", "markdown")
    assert (result.exit_code, result.stdout) == (0, "markdown report, dry_run=True, commit=-\n")
    assert lib.names() == ["plan_promote", "check_clean", "preview"]


def test_commit_checks_the_branch_first_and_reports_the_commit(
        monkeypatch: pytest.MonkeyPatch) -> None:
    lib = Library(monkeypatch)
    result = run("dev", "prod", "--commit", "--format", "json")
    assert (result.exit_code, result.stdout) == (0, "json report, dry_run=False, commit=c0ffee\n")
    assert lib.names() == ["plan_promote", "check_clean", "check_branch", "preview", "write",
                           "commit"]
    assert lib.calls[1] == ("check_clean", ("PROJECT", "PLAN"), {"output": True})


def test_nothing_to_change_touches_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    lib = Library(monkeypatch, changes=0)
    result = run("dev", "prod", "--commit")
    assert (result.exit_code, result.stdout) == (0, "text report, dry_run=False, commit=-\n")
    assert lib.names() == ["plan_promote"]


@pytest.mark.parametrize(("args", "message"), [
    ([], "Missing argument '[SOURCE] TARGET'"),
    (["prod"], "expected TARGET with --to-version or --switch, else SOURCE TARGET"),
    (["dev", "staging", "prod"], "expected TARGET with --to-version or --switch, else SOURCE "
                                 "TARGET"),
    (["dev", "prod", "--switch"], "expected TARGET with --to-version or --switch, else SOURCE "
                                  "TARGET"),
    (["dev", "prod", "--to-version", "v1"], "expected TARGET with --to-version or --switch, "
                                            "else SOURCE TARGET"),
    (["prod", "--to-version", "v1", "--switch"], "--to-version and --switch are separate steps"),
    (["dev", "prod", "--dry-run", "--commit"], "--dry-run writes nothing, so it cannot --commit"),
    (["dev", "prod", "--force"], "mwgen: --force needs --reason TEXT (the commit records why)"),
    (["dev", "prod", "--force", "--reason", "  "], "mwgen: --force needs --reason TEXT (the "
                                                   "commit records why)"),
    (["dev", "prod", "-j", "0"], "Invalid value for '-j' / '--jobs': 0 is not in the range x>=1"),
    (["dev", "prod", "--format", "html"], "Invalid value for '--format'"),
])
def test_bad_options_exit_2_before_the_project_is_opened(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str) -> None:
    """No project here at all: the options are refused first, and nothing is planned."""
    lib = Library(monkeypatch)
    monkeypatch.chdir(tmp_path)
    result = mwgen("promote", *args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert message in result.stderr
    assert "no project found" not in result.stderr and lib.calls == []


def test_a_refusal_from_the_library_is_its_lines_and_exit_1(shop: Shop) -> None:
    """The real library: an unknown environment, then an unknown region, each one line."""
    before = shop.snapshot()
    env = mwgen("--project", str(shop.root), "promote", "dev", "qa")
    assert (env.exit_code, env.stdout) == (1, "")
    assert env.stderr == ("values/environments/qa.yaml: no environment 'qa' (environments: "
                          "dev, production, staging)\n")
    region = mwgen("--project", str(shop.root), "promote", "staging", "production", "-r", "mars")
    assert (region.exit_code, region.stdout) == (1, "")
    assert region.stderr == ("values/environments/production.yaml:4:3: environment.regions: "
                             "production has no region 'mars' (regions: us-east-1, eu-west-1)\n")
    assert shop.snapshot() == before
