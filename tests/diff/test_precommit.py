"""The published hooks, run by the real pre-commit framework in a temporary repo.

Every hook of ``.pre-commit-hooks.yaml`` is used as published, except that it runs
as ``repo: local`` / ``language: system`` with this interpreter's mwgen: a
``language: python`` hook would make pre-commit pip-install mwgen into an isolated
environment, which needs the network.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.diff.conftest import edit
from tests.diff.gitrepo import commit_all, git_env, init_repo
from tests.helpers import ROOT

WEB = "output/k8s/prod/us-east-1/services/web/deployment.yaml"


def local_config() -> str:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    for hook in hooks:
        assert hook["entry"].startswith("mwgen ")
        hook["entry"] = f"{sys.executable} -m mwgen {hook['entry'].removeprefix('mwgen ')}"
        hook["language"] = "system"
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": hooks}]}, sort_keys=False)


def pre_commit(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**git_env(), "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("MWGEN_PROJECT", None)
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files",
                           "--color", "never"], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.slow
def test_hooks_pass_then_fail_on_a_broken_value_and_a_stale_file(minimal: Path,
                                                                  tmp_path: Path) -> None:
    repo = init_repo(minimal)
    (repo / ".pre-commit-config.yaml").write_text(local_config())
    commit_all(repo, "base")
    home = tmp_path / "pre-commit-home"
    prod = repo / "values/environments/prod.yaml"

    ok = pre_commit(repo, home)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.count("Passed") == 2

    edit(prod, "replicas: 3", "replicas: three")
    broken = pre_commit(repo, home)
    assert broken.returncode == 1
    assert "values/environments/prod.yaml:" in broken.stdout
    assert "'three' is not of type 'integer'" in broken.stdout

    edit(prod, "replicas: three", "replicas: 5")
    stale = pre_commit(repo, home)
    assert stale.returncode == 1
    assert re.search(r"mwgen validate \(values schema\)\.+Passed", stale.stdout)
    lines = stale.stdout.splitlines()
    assert f"{WEB}: stale (changed: differs from what values and templates give)" in lines
    assert "run: mwgen render" in lines

    subprocess.run([sys.executable, "-m", "mwgen", "render"], cwd=repo, check=True,
                   capture_output=True)
    fixed = pre_commit(repo, home)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
