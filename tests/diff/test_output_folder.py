"""mwgen diff names files under the configured output folder, not a hard-coded output/."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.helpers import FIXTURES, copy_project, mwgen


def test_diff_names_the_configured_output_folder(tmp_path: Path) -> None:
    root = copy_project(FIXTURES / "mini", tmp_path / "mini")
    (root / "mwgen.yaml").write_text("output: rendered\n")
    assert mwgen("--project", str(root), "render").exit_code == 0
    shutil.rmtree(root / "rendered" / "dev")
    result = mwgen("--project", str(root), "diff", "--quiet")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("rendered/dev/") and "output/" not in result.stdout
    text = mwgen("--project", str(root), "diff").stdout
    assert "between the render and rendered/" in text and "a/output/" not in text
    data = json.loads(mwgen("--project", str(root), "diff", "--format", "json").stdout)
    assert all(f["path"].startswith("rendered/") for f in data["files"])
