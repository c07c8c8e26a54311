"""``python -m mwgen`` (mwgen/__main__.py) in a real subprocess: the same CLI as the
``mwgen`` script, with its exit codes (0 ok, 1 bad input, 2 could not run as asked) and
one located line per error on stderr, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import mwgen
from tests.helpers import FIXTURES, copy_project


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m mwgen ARGS`` with this interpreter (the user cache is the test's)."""
    return subprocess.run([sys.executable, "-m", "mwgen", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    return copy_project(FIXTURES / "mini", tmp_path / "mini")


def test_version_exits_0_on_stdout() -> None:
    proc = run("--version")
    assert (proc.returncode, proc.stdout, proc.stderr) == (
        0, f"mwgen, version {mwgen.__version__}\n", "")


def test_a_successful_command_exits_0(mini: Path) -> None:
    proc = run("--project", str(mini), "targets")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["dev/r1", "prod/r1", "prod/r2"]


def test_render_writes_output_and_a_second_run_writes_nothing(mini: Path) -> None:
    first = run("render", cwd=mini)
    assert first.returncode == 0, first.stderr
    assert (mini / "output" / "summary.json").is_file()
    again = run("render", cwd=mini)
    assert again.returncode == 0 and "0 written" in again.stdout


def test_bad_input_is_one_located_line_and_exit_1(mini: Path) -> None:
    defaults = mini / "values" / "defaults.yaml"
    defaults.write_text(defaults.read_text().replace("  note: plain\n",
                                                     "  note: plain\n  note: twice\n"))
    proc = run("--project", str(mini), "validate")
    assert proc.returncode == 1
    (line,) = proc.stderr.splitlines()
    assert line.startswith("values/defaults.yaml:5:3: ") and "note" in line
    assert proc.stdout == ""


def test_a_schema_violation_is_exit_1_with_the_value_path(mini: Path) -> None:
    defaults = mini / "values" / "defaults.yaml"
    defaults.write_text(defaults.read_text().replace("replicas: 1\n    port: 8080",
                                                     "replicas: many\n    port: 8080"))
    proc = run("--project", str(mini), "validate")
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[0].startswith(
        "values/defaults.yaml:16:5: services.web.replicas: 'many' is not of type 'integer'")
    assert "Traceback" not in proc.stderr


def test_no_project_is_one_line_and_exit_2(tmp_path: Path) -> None:
    proc = run("targets", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        f"mwgen: no project found in {tmp_path.resolve()} or any parent folder "
        "(looked for values/defaults.yaml)"]


@pytest.mark.parametrize("args, error", [
    (["nosuch"], "Error: No such command 'nosuch'."),
    (["targets", "--nope"], "Error: No such option"),
])
def test_usage_errors_exit_2_naming_the_module_invocation(args: list[str], error: str) -> None:
    proc = run(*args)
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[-1].startswith(error)  # click words the last line
    assert proc.stderr.startswith("Usage: python -m mwgen")
    assert "Traceback" not in proc.stderr


def test_no_command_prints_the_help_and_exits_2() -> None:
    proc = run()
    assert proc.returncode == 2
    assert "Commands:" in proc.stdout + proc.stderr
