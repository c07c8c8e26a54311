"""First-time install of mwgen's published pre-commit hook, per git revision.

    python bench/hook_install.py REV [REV...]

For each revision of this repository: an empty git repository whose
``.pre-commit-config.yaml`` uses the ``mwgen-validate`` hook at REV, then
``pre-commit install-hooks`` with an empty ``PRE_COMMIT_HOME`` (what a developer's first
commit pays). Prints seconds and the size of the hook environment. pip's own cache is
left as it is; run twice to see the warm-cache figure. Needs pre-commit (the test extra).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def measure(rev: str, work: Path, n: int) -> tuple[float, float]:
    sha = subprocess.run(["git", "rev-parse", rev], cwd=REPO, capture_output=True, text=True,
                         check=True).stdout.strip()
    repo = work / f"repo-{n}-{sha[:8]}"
    home = work / f"home-{n}-{sha[:8]}"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {REPO}\n    rev: {sha}\n    hooks:\n      - id: mwgen-validate\n")
    env = dict(os.environ, PRE_COMMIT_HOME=str(home))
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or "pre-commit"
    start = time.perf_counter()
    subprocess.run([pre_commit, "install-hooks"], cwd=repo, env=env, check=True,
                   capture_output=True)
    return time.perf_counter() - start, size_mb(home)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for n, rev in enumerate(sys.argv[1:] or ["HEAD"]):
            seconds, mb = measure(rev, Path(tmp), n)
            print(f"{rev}: pre-commit install-hooks {seconds:.1f} s, hook environment {mb:.0f} MB")


if __name__ == "__main__":
    main()
