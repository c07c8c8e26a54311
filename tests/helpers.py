"""Shared test helpers: copy a fixture project, run the CLI, hash a tree."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from mwgen.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def copy_project(src: Path, dest: Path, *, with_output: bool = False) -> Path:
    """A writable copy of a project (values, templates, schemas; output if asked)."""
    dest.mkdir(parents=True, exist_ok=True)
    parts = ["values", "templates", "schemas"] + (["output"] if with_output else [])
    for part in parts:
        if (src / part).exists():
            shutil.copytree(src / part, dest / part, symlinks=True)
    if (src / "mwgen.yaml").is_file():
        shutil.copy2(src / "mwgen.yaml", dest / "mwgen.yaml")
    return dest


def mwgen(*args: str) -> Result:
    """Run the CLI in-process; stdout and stderr stay separate (click 8.2+)."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def render_into(root: Path, out: str) -> Result:
    """``mwgen render`` of the project at ``root`` into ``root/out``."""
    return mwgen("--project", str(root), "render", "--output", str(root / out))


def tree_hashes(folder: Path) -> dict[str, str]:
    """Path -> sha256 of every file below ``folder`` (hidden lock file excluded)."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".mwgen.lock"}
