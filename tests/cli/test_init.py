"""``mwgen init``: a working project that is clean right away, and never overwrites."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from tests.helpers import ROOT, mwgen, tree_hashes


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    result = mwgen("init", "hello")
    assert result.exit_code == 0, result.stderr
    monkeypatch.chdir(tmp_path / "hello")
    return tmp_path / "hello"


def test_render_validate_lint_diff_are_clean_right_after_init(project: Path) -> None:
    rendered = mwgen("render")
    assert rendered.exit_code == 0, rendered.stderr
    assert rendered.stderr == ""
    for command in (["validate"], ["lint"], ["diff"], ["render"]):
        result = mwgen(*command)
        assert result.exit_code == 0, (command, result.stdout, result.stderr)
    assert "0 written" in mwgen("render").stdout
    families = {p.relative_to(project / "output").parts[0]
                for p in (project / "output").rglob("*") if p.is_file() and p.name[0] != "."}
    assert families == {"k8s", "argocd", "grafana", "terraform"}
    targets = mwgen("targets").stdout.split()
    assert targets == ["production/eu-west-1", "production/us-east-1", "staging/eu-west-1"]


def test_lint_sees_every_family(project: Path) -> None:
    assert mwgen("render").exit_code == 0
    result = mwgen("lint", "--format", "json")
    summary = json.loads(result.stdout)["summary"]
    assert result.exit_code == 0 and summary["findings"] == 0
    assert summary["documents"] == 15 and summary["dashboards"] == 2  # 6 x 2 + 3 Applications


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app" / "values").mkdir(parents=True)
    (tmp_path / "app" / "values" / "defaults.yaml").write_text("mine: 1\n")
    (tmp_path / "app" / ".gitignore").write_text("mine\n")
    before = tree_hashes(tmp_path / "app")
    result = mwgen("init", "app")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "app/.gitignore: already exists: not overwritten (mwgen init writes nothing when any "
        "of its files exists)",
        "app/values/defaults.yaml: already exists: not overwritten (mwgen init writes nothing "
        "when any of its files exists)"]
    assert tree_hashes(tmp_path / "app") == before


def test_init_here_and_deterministic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        monkeypatch.chdir(tmp_path / name)
        result = mwgen("init")
        assert result.exit_code == 0, result.stderr
        assert "wrote values/defaults.yaml" in result.stdout
    assert tree_hashes(tmp_path / "a") == tree_hashes(tmp_path / "b")
    assert mwgen("init").exit_code == 1  # a second init in the same folder


def _properties(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            yield f"{path}.{name}", sub
        for key, sub in node.items():
            if key == "properties":
                for name, child in sub.items():
                    yield from _properties(child, f"{path}.{name}")
            elif isinstance(sub, (dict, list)):
                yield from _properties(sub, f"{path}/{key}")
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            yield from _properties(sub, f"{path}[{i}]")


def test_schema_documents_every_property(project: Path) -> None:
    schema = json.loads((project / "schemas" / "values.schema.json").read_text())
    found = list(_properties(schema))
    assert len(found) > 20
    assert [p for p, sub in found if not sub.get("description")] == []
    reference = mwgen("docs")
    assert reference.exit_code == 0 and "| `services.<name>.tag` | string | yes |" in reference.stdout


def test_editor_schema_and_modelines(project: Path) -> None:
    check = mwgen("docs", "--layer-schema", "--output", "schemas/values.layer.schema.json",
                  "--check")
    assert check.exit_code == 0, check.stderr  # the CI step passes
    layer = Draft202012Validator(json.loads(
        (project / "schemas" / "values.layer.schema.json").read_text()))
    files = sorted((project / "values").rglob("*.yaml"))
    assert len(files) == 6
    for f in files:
        first = f.read_text().splitlines()[0]
        prefix = "# yaml-language-server: $schema="
        assert first.startswith(prefix), f
        target = (f.parent / first[len(prefix):]).resolve()
        assert target == project / "schemas" / "values.layer.schema.json", f
        assert layer.is_valid(yaml.safe_load(f.read_text())), f


def test_precommit_and_ci_use_mwgen(project: Path) -> None:
    published = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    used = {h["id"] for repo in config["repos"] for h in repo["hooks"]}
    assert used and used <= published
    assert "@MWGEN_VERSION@" not in (project / ".pre-commit-config.yaml").read_text()
    checked = subprocess.run([sys.executable, "-m", "pre_commit", "validate-config",
                              ".pre-commit-config.yaml"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    workflow = yaml.safe_load((project / ".github" / "workflows" / "mwgen.yaml").read_text())
    runs = [s.get("run", "") for job in workflow["jobs"].values() for s in job["steps"]]
    for command in ("mwgen validate", "mwgen diff", "mwgen lint"):
        assert command in runs
    ignored = (project / ".gitignore").read_text().splitlines()
    assert "output/" not in ignored and not any("mwgen.lock" in line for line in ignored)


def test_prints_each_file_init_project_wrote_then_the_next_step(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Thin: one ``wrote`` line per file the library wrote, named as the user typed DIR."""
    from mwgen.scaffold import project_files

    monkeypatch.chdir(tmp_path)
    result = mwgen("init", "deploy/app/")
    assert result.exit_code == 0 and result.stderr == ""
    *wrote, next_step = result.stdout.splitlines()
    assert wrote == [f"wrote deploy/app/{rel}" for rel in project_files()]
    assert next_step == ("next: cd deploy/app/ && mwgen render && mwgen lint   (then commit, "
                         "output/ included)")
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    here = mwgen("init").stdout.splitlines()
    assert here[0] == f"wrote {next(iter(project_files()))}"
    assert here[-1] == "next: mwgen render && mwgen lint   (then commit, output/ included)"


def test_a_file_in_place_of_the_folder_is_a_usage_error(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "taken").write_text("")
    result = mwgen("init", "taken")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "'taken' is a file" in result.stderr
