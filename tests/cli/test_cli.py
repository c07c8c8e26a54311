"""The group in ``mwgen/cli/__init__.py``: ``--project``, ``--version``, ``--help``, the
command table, and the one handler that turns errors into a line and an exit code."""

from __future__ import annotations

import errno
import importlib
import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from mwgen.cli import COMMANDS, main, open_project, report_problems, value_layer_options
from mwgen.errors import EmitError, MwgenError, Problem, UsageError, ValidationFailed
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


def _raising(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    """Make opening the project (what ``mwgen targets`` does first) raise ``error``."""
    def load_project(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr("mwgen.project.load_project", load_project)


def test_version_is_the_installed_distributions() -> None:
    result = mwgen("--version")
    assert result.exit_code == 0
    assert result.stdout == f"mwgen, version {metadata.version('mwgen')}\n"


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_lists_every_command_with_its_short_help(flag: str) -> None:
    result = mwgen(flag)
    assert result.exit_code == 0
    listed = result.stdout.split("Commands:\n", 1)[1]
    names = [line.split()[0] for line in listed.splitlines() if line[:3].strip()]
    assert names == list(COMMANDS)
    assert "--project DIRECTORY" in result.stdout
    for name, (_, short) in COMMANDS.items():
        assert " ".join(short.split()[:3]) in " ".join(listed.split()), name


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_is_registered_under_its_name(name: str) -> None:
    module = importlib.import_module(f"mwgen.cli.{COMMANDS[name][0]}")
    assert isinstance(module.cmd, click.Command) and module.cmd.name == name
    assert main.get_command(click.Context(main), name) is module.cmd
    result = CliRunner().invoke(main, [name, "--help"], prog_name="mwgen")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Usage: mwgen {name} ")


def test_an_unknown_command_is_a_usage_error() -> None:
    assert main.get_command(click.Context(main), "rendr") is None
    result = mwgen("rendr")
    assert result.exit_code == 2
    assert "No such command 'rendr'" in result.stderr and result.stdout == ""


def test_help_imports_no_command_module() -> None:
    """``mwgen --help`` stays cheap: the table answers it (a fresh process, so no test
    has imported the command modules already)."""
    code = ("import sys\nfrom mwgen.cli import main\ntry:\n    main(['--help'])\n"
            "except SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('mwgen.cli')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert "Commands:" in done.stdout
    assert done.stdout.splitlines()[-1] == "['mwgen.cli']"


def test_project_option_opens_that_folder_without_searching_upward(tmp_path: Path) -> None:
    assert mwgen("--project", str(MINI), "targets").stdout.split() == [
        "dev/r1", "prod/r1", "prod/r2"]
    below = mwgen("--project", str(MINI / "templates"), "targets")
    assert below.exit_code == 2
    assert below.stderr == (f"mwgen: no project found in {(MINI / 'templates').resolve()} "
                            "(looked for values/defaults.yaml)\n")
    a_file = tmp_path / "file"
    a_file.write_text("")
    assert mwgen("--project", str(a_file), "targets").exit_code == 2


def test_project_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MWGEN_PROJECT", str(MINI))
    result = mwgen("targets")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == ["dev/r1", "prod/r1", "prod/r2"]


def test_open_project_passes_the_command_line_layers(tmp_path: Path) -> None:
    extra = tmp_path / "extra.yaml"
    extra.write_text("services:\n  web:\n    replicas: 9\n")
    with click.Context(main, obj={"project_dir": str(MINI)}) as ctx:
        project = open_project(ctx, overrides=("app.name=x",), extra_files=(str(extra),))
    assert project.root == MINI.resolve()
    merged = project.values("dev/r1").data
    assert (merged["app"]["name"], merged["services"]["web"]["replicas"]) == ("x", 9)


def test_value_layer_options_collect_files_and_sets_in_order() -> None:
    seen: dict[str, object] = {}

    @click.command()
    @value_layer_options
    def probe(files: tuple[str, ...], sets: tuple[str, ...]) -> None:
        seen.update(files=files, sets=sets)

    result = CliRunner().invoke(probe, ["-f", "b.yaml", "--set", "x=1", "--values-file",
                                        "a.yaml", "--set", "y.z=2"])
    assert result.exit_code == 0, result.output
    assert seen == {"files": ("b.yaml", "a.yaml"), "sets": ("x=1", "y.z=2")}


def test_an_error_with_problems_is_one_located_line_each(monkeypatch: pytest.MonkeyPatch) -> None:
    _raising(monkeypatch, ValidationFailed(problems=[
        Problem(file="values/a.yaml", line=3, column=5, path="x.y", message="bad",
                targets=("dev/r1",)),
        Problem(file="values/b.yaml", line=1, message="worse")]))
    result = mwgen("targets")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == "values/a.yaml:3:5: x.y: bad (dev/r1)\nvalues/b.yaml:1: worse\n"


@pytest.mark.parametrize(("error", "code", "stderr"), [
    (MwgenError("out.yaml:2:1: broken"), 1, "out.yaml:2:1: broken\n"),
    (UsageError("mwgen: no target matches 'x'"), 2, "mwgen: no target matches 'x'\n"),
    (EmitError(message="x.yaml: would not read back"), 2,
     "mwgen: internal error: x.yaml: would not read back (a bug in mwgen)\n"),
    (OSError(errno.ENOSPC, "No space left on device", "/o/x.yaml"), 1,
     "mwgen: /o/x.yaml: No space left on device\n"),
    (PermissionError(errno.EACCES, "Permission denied"), 1, "mwgen: Permission denied\n"),
    (RecursionError("maximum recursion depth exceeded"), 1,
     "mwgen: input nested too deeply (recursion limit reached)\n"),
    (KeyboardInterrupt(), 130, "mwgen: interrupted\n"),
    (KeyError("services"), 2, "mwgen: internal error: KeyError: 'services' (a bug in mwgen; "
                              "run with MWGEN_DEBUG=1 for the traceback)\n"),
])
def test_the_one_handler_maps_each_error_to_a_line_and_an_exit_code(
        monkeypatch: pytest.MonkeyPatch, error: BaseException, code: int, stderr: str) -> None:
    _raising(monkeypatch, error)
    result = mwgen("targets")
    assert (result.exit_code, result.stderr, result.stdout) == (code, stderr, "")


def test_click_usage_errors_exit_2_and_name_the_option() -> None:
    bad_choice = mwgen("--project", str(MINI), "targets", "--format", "xml")
    assert bad_choice.exit_code == 2
    assert "Invalid value for '--format'" in bad_choice.stderr
    missing = mwgen("--project", str(MINI), "values")
    assert missing.exit_code == 2 and "Missing argument 'TARGET|ENV'" in missing.stderr


def test_a_closed_pipe_is_not_an_error() -> None:
    """``mwgen values ... | head``: the reader went away; exit 0 and no line (a real
    process: the pipe must really be closed)."""
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run([sys.executable, "-c", "from mwgen.cli import main; main()",
                               "--project", str(MINI), "values", "prod/r2"],
                              stdout=write, stderr=subprocess.PIPE, text=True)
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (0, "")


def test_a_bug_in_a_real_process_is_one_line_without_traceback() -> None:
    code = ("import mwgen.project\n"
            "def boom(*a, **k):\n    raise ZeroDivisionError('boom')\n"
            "mwgen.project.load_project = boom\n"
            "from mwgen.cli import main\nmain(['targets'])\n")
    env = {k: v for k, v in os.environ.items() if k != "MWGEN_DEBUG"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env)
    assert done.returncode == 2
    assert done.stderr == ("mwgen: internal error: ZeroDivisionError: boom (a bug in mwgen; "
                           "run with MWGEN_DEBUG=1 for the traceback)\n")


def test_report_problems_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    problem = Problem(file="values/a.yaml", line=2, column=3, message="bad")
    assert report_problems([], "text", summary="1 target(s) checked, 0 problem(s)") == 0
    assert capsys.readouterr() == ("1 target(s) checked, 0 problem(s)\n", "")
    assert report_problems([problem], "text", summary="1 problem(s)") == 1
    assert capsys.readouterr() == ("", "values/a.yaml:2:3: bad\n1 problem(s)\n")
    assert report_problems([problem], "json", summary="ignored in JSON") == 1
    out, err = capsys.readouterr()
    assert err == "" and json.loads(out) == {"ok": False, "problems": [problem.to_json()]}
    assert report_problems([], "json") == 0
    assert json.loads(capsys.readouterr().out) == {"ok": True, "problems": []}
