"""The bad-input corpus: every folder under ``cases/`` is one test.

A case folder holds ``case.yaml`` and, optionally, ``project/``: files laid over a
fresh copy of the mini fixture (after a clean render, so ``output/`` exists and is
committed-looking). ``case.yaml`` keys:

``args``      the mwgen arguments after ``--project {root}`` (``cwd: empty`` runs them in
              an empty folder without ``--project`` instead)
``exit``      the exact exit code
``stderr``    the exact stderr (``{root}``/``{cwd}`` stand for the folders); one line
              per problem, plus ``validate``'s summary line
``stdout``    optional: the exact stdout
``remove``    project files to delete before running (``output`` removes the folder)
``symlinks``  project path -> link target, made before running
``simulate``  ``permission`` or ``disk_full``: every write in ``mwgen.output`` fails
              (tests run as root, where a read-only folder does not stop writes)
``bounded``   also run it in a subprocess under a 1 GiB address-space limit and a
              timeout: alias bombs and deep nesting must fail fast in bounded memory

Every case also asserts: ``output/`` is byte-for-byte unchanged, nothing outside the
project changed, and no "Traceback" appears anywhere.
"""

from __future__ import annotations

import errno
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import FIXTURES, ROOT, copy_project, mwgen, tree_hashes

CASES = Path(__file__).resolve().parent / "cases"
MINI = FIXTURES / "mini"


def _cases() -> list[Any]:
    return [pytest.param(path, id=path.name) for path in sorted(CASES.iterdir())
            if (path / "case.yaml").is_file()]


def load_case(folder: Path) -> dict[str, Any]:
    case: dict[str, Any] = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
    assert {"args", "exit", "stderr"} <= set(case), f"{folder.name}: case.yaml incomplete"
    return case


def prepare(folder: Path, case: dict[str, Any], tmp: Path) -> tuple[Path, Path]:
    """A rendered copy of mini with the case's files laid over it; returns (root, outside)."""
    root = copy_project(MINI, tmp / "project")
    first = mwgen("--project", str(root), "render")
    assert first.exit_code == 0, first.stderr
    overlay = folder / "project"
    if overlay.is_dir():
        shutil.copytree(overlay, root, dirs_exist_ok=True)
    for rel in case.get("remove", []):
        target = root / rel
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    outside = tmp / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("not mwgen's\n")
    for rel, dest in (case.get("symlinks") or {}).items():
        link = root / rel
        if link.is_dir():
            shutil.rmtree(link)
        elif link.exists():
            link.unlink()
        link.symlink_to(dest)
    return root, outside


def _fail_writes(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    """Make every file mwgen.output creates fail as a read-only folder (creating it) or a
    full disk (writing to it) would."""
    if kind == "permission":
        def refuse(path: Any) -> int:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))

        monkeypatch.setattr("mwgen.output._open_new", refuse)
        return

    def full(fd: int, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("mwgen.output._write_all", full)


def expand(text: str, root: Path, cwd: Path) -> str:
    return text.replace("{root}", str(root)).replace("{cwd}", str(cwd))


@pytest.mark.parametrize("folder", _cases())
def test_case(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = load_case(folder)
    root, outside = prepare(folder, case, tmp_path)
    before = tree_hashes(root / "output")
    outside_before = tree_hashes(outside)
    cwd = root
    args = [str(a) for a in case["args"]]
    if case.get("cwd") == "empty":
        cwd = tmp_path / "empty"
        cwd.mkdir()
        monkeypatch.chdir(cwd)
    else:
        args = ["--project", str(root), *args]
    args = [expand(a, root, cwd) for a in args]
    if case.get("simulate"):
        _fail_writes(monkeypatch, case["simulate"])
    result = mwgen(*args)
    monkeypatch.undo()
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr == expand(case["stderr"], root, cwd)
    assert result.exit_code == case["exit"]
    if "stdout" in case:
        assert result.stdout == case["stdout"]
    assert tree_hashes(root / "output") == before
    assert (root / "output").exists() == bool(before)
    assert tree_hashes(outside) == outside_before
    assert not [p for p in tmp_path.rglob("*mwgen-tmp*")]


@pytest.mark.parametrize("folder", [c for c in _cases()
                                    if load_case(c.values[0]).get("bounded")])
def test_bounded_cases_fail_fast_in_bounded_memory(folder: Path, tmp_path: Path) -> None:
    """Alias bombs and deep nesting: the same message from a real process limited to
    1 GiB of address space, within seconds."""
    case = load_case(folder)
    root, _ = prepare(folder, case, tmp_path)
    limit = 1 << 30

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "mwgen", "--project", str(root),
                           *(expand(str(a), root, root) for a in case["args"])], capture_output=True, text=True,
                          timeout=30, preexec_fn=cap, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert time.monotonic() - started < 10
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.stderr == expand(case["stderr"], root, root)
    assert proc.returncode == case["exit"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores permission bits: see the "
                    "project-output-read-only case for the simulated variant")
def test_really_read_only_output(tmp_path: Path) -> None:
    root, _ = prepare(CASES / "project-output-read-only",
                      load_case(CASES / "project-output-read-only"), tmp_path)
    before = tree_hashes(root / "output")
    folders = [root / "output", *[p for p in (root / "output").rglob("*") if p.is_dir()]]
    for folder in folders:
        folder.chmod(0o555)
    try:
        result = mwgen("--project", str(root), "render")
    finally:
        for folder in folders:
            folder.chmod(0o755)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr.endswith("Permission denied\n")
    assert tree_hashes(root / "output") == before
