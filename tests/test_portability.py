"""mwgen imports and renders where POSIX-only modules are missing (Windows)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers import FIXTURES, ROOT, copy_project

BLOCK = """
import builtins, sys
real = builtins.__import__
def fake(name, *args, **kwargs):
    if name == "fcntl":
        raise ImportError("No module named 'fcntl' (blocked by the test)")
    return real(name, *args, **kwargs)
builtins.__import__ = fake
sys.modules.pop("fcntl", None)
from mwgen.cli import main
sys.exit(main(["--project", sys.argv[1], "render"]))
"""


def test_render_works_without_fcntl(tmp_path: Path) -> None:
    root = copy_project(FIXTURES / "mini", tmp_path / "mini")
    proc = subprocess.run([sys.executable, "-c", BLOCK, str(root)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "written" in proc.stdout and (root / "output/.mwgen-manifest.json").is_file()
