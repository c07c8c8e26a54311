"""mwgen as a user gets it: the wheel, installed (not editable) into a fresh virtualenv,
runs init -> render -> validate -> lint -> diff in an empty git repository outside the
source tree.

The virtualenv borrows mwgen's dependencies from the test's own environment (a ``.pth``
line to its site-packages), so the test needs no network and no 100 MB install; mwgen
itself comes only from the wheel, which the test checks. Slow (about half a minute,
most of it building the wheel) but part of the suite, so CI runs it.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
REFERENCE = Path(os.environ.get("MWGEN_TEST_REFERENCE") or REPO / ".." / "shared" / "reference")
APP = "output/argocd/staging/eu-west-1/application.yaml"


def run(args: list[str], *, cwd: Path, env: dict[str, str] | None = None,
        check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
                          check=False)
    if check and proc.returncode:
        raise AssertionError(f"{args} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with mwgen installed from a freshly built wheel; its bin/."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"  # build from a copy: the checkout stays free of build/ and egg-info
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    shutil.copytree(REPO / "mwgen", src / "mwgen",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp / "dist"),
         str(src)], cwd=tmp)
    (wheel,) = (tmp / "dist").glob("mwgen-*.whl")

    env_dir = tmp / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], cwd=tmp)
    python = env_dir / "bin" / "python"
    purelib = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                       cwd=tmp).stdout.strip())
    # Dependencies (and pip) from this environment; a path line in a .pth does not run the
    # .pth files of that folder, so an editable mwgen there stays invisible.
    deps = [p for p in {sysconfig.get_paths()["purelib"], *site.getsitepackages()} if Path(p).is_dir()]
    (purelib / "_mwgen_test_deps.pth").write_text("\n".join(sorted(deps)) + "\n")
    run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", str(wheel)],
        cwd=tmp)
    where = run([str(python), "-c", "import mwgen; print(mwgen.__file__)"], cwd=tmp).stdout
    assert Path(where.strip()).is_relative_to(purelib), where
    return env_dir / "bin"


@pytest.fixture
def project(venv: Path, tmp_path: Path) -> Path:
    """An empty git repository outside the source tree, scaffolded by the wheel's init."""
    root = tmp_path / "shop-deploy"
    root.mkdir()
    run(["git", "init", "-q"], cwd=root)
    run([str(venv / "mwgen"), "init", "."], cwd=root, env=user_env(venv, tmp_path))
    return root


def user_env(bin_dir: Path, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("MWGEN_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(PATH=f"{bin_dir}:/usr/bin:/bin", XDG_CACHE_HOME=str(tmp_path / "cache"),
               HOME=str(tmp_path / "home"), GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org", **extra)
    return env


def test_init_render_validate_lint_diff_from_the_wheel(venv: Path, project: Path, tmp_path: Path) -> None:
    env = user_env(venv, tmp_path)
    mwgen = str(venv / "mwgen")
    run([mwgen, "render"], cwd=project, env=env)
    run(["git", "add", "-A"], cwd=project, env=env)
    run(["git", "commit", "-q", "-m", "rendered"], cwd=project, env=env)
    run([mwgen, "validate"], cwd=project, env=env)
    lint = run([mwgen, "lint"], cwd=project, env=env)
    assert "0 findings" in lint.stdout and "schemas: 2 mwgen" in lint.stdout
    report = json.loads(run([mwgen, "lint", "--format", "json"], cwd=project, env=env).stdout)
    assert report["ok"] and report["summary"]["schemas"] == {
        "argoproj.io/v1alpha1 Application": {
            "source": "mwgen", "file": "crd-schemas/argoproj.io/application_v1alpha1.json"},
        "grafana dashboard": {"source": "mwgen", "file": "grafana/jsonschema/dashboard.jsonschema.json"}}
    run([mwgen, "diff"], cwd=project, env=env)

    template = project / "templates/argocd/{env}/{region}/application.yaml.j2"
    template.write_text(template.read_text().replace("  syncPolicy:", "  syncPolicyy:"))
    run([mwgen, "render"], cwd=project, env=env)
    bad = run([mwgen, "lint"], cwd=project, env=env, check=False)
    assert bad.returncode == 1
    assert (f"{APP}:25:3: spec: [k8s-schema] Application/hello-staging-eu-west-1: Additional "
            "properties are not allowed ('syncPolicyy' was unexpected)") in bad.stderr
    for out in (lint, bad):
        assert "Traceback" not in out.stderr and "site-packages" not in out.stdout + out.stderr


def test_lint_from_the_wheel_uses_a_local_schema_folder(venv: Path, project: Path,
                                                        tmp_path: Path) -> None:
    if not (REFERENCE / "crd-schemas").is_dir():
        pytest.skip("../shared/reference is not beside this checkout")
    env = user_env(venv, tmp_path, MWGEN_SCHEMA_PATH=str(REFERENCE))
    run([str(venv / "mwgen"), "render"], cwd=project, env=env)
    lint = run([str(venv / "mwgen"), "lint"], cwd=project, env=env)
    assert "0 findings" in lint.stdout and "schemas: 2 local" in lint.stdout
