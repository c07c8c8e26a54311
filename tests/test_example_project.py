"""examples/weather, the second (non-MindWeave) example project: its committed tree is
current, and it validates and lints clean with its own configuration and filters."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from tests.helpers import ROOT, mwgen

EXAMPLE = ROOT / "examples" / "weather"


@pytest.fixture
def weather(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "weather"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("__pycache__", ".mwgen.lock"))
    monkeypatch.chdir(root)
    return root


def test_committed_tree_is_current_and_clean(weather: Path) -> None:
    assert mwgen("validate").exit_code == 0
    diff = mwgen("diff")
    assert diff.exit_code == 0, diff.stdout + diff.stderr
    result = mwgen("lint", "--format", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 0, report["problems"]
    assert report["summary"]["kubernetes_version"] == "1.29"  # from its mwgen.yaml
    assert report["summary"]["files"] == 11 and report["summary"]["documents"] == 18
    assert not (weather / "output").exists()  # its output folder is rendered/


def test_render_from_scratch_matches_the_committed_tree(weather: Path) -> None:
    shutil.rmtree(weather / "rendered")
    result = mwgen("render")
    assert result.exit_code == 0, result.stderr
    for path in sorted((EXAMPLE / "rendered").rglob("*")):
        if path.is_file() and not path.name.startswith(".mwgen"):  # manifest: machine inputs
            rel = path.relative_to(EXAMPLE)
            assert (weather / rel).read_bytes() == path.read_bytes(), rel


def test_project_filter_and_test_shape_the_output(weather: Path) -> None:
    rendered = weather / "rendered"
    ingress = [d for d in yaml.safe_load_all(
        (rendered / "k8s/prod/ap-southeast-2/api/workload.yaml").read_text())
        if d["kind"] == "Ingress"]
    assert ingress[0]["spec"]["rules"][0]["host"] == "api.ap-southeast-2.weather.example.net"
    collector = (rendered / "k8s/dev/us-west-2/collector/workload.yaml").read_text()
    assert "kind: Ingress" not in collector  # not public
    assert '"api.dev.us-west-2.weather.example.net"' in (rendered / "terraform/dev/dns.tf").read_text()


def test_no_mindweave_in_the_example() -> None:
    for path in EXAMPLE.rglob("*"):
        if path.is_file():
            assert "mindweave" not in path.read_text().lower(), path


def _block(text: str, opener: str) -> str:
    start = text.index(opener) + len(opener)
    return text[start:text.index("```", start)]


def test_configuration_doc_examples_are_what_the_example_runs(weather: Path) -> None:
    """docs/configuration.md's mwgen.yaml and filters.py, dropped into the example,
    render the same tree: the documented examples work."""
    doc = (ROOT / "docs" / "configuration.md").read_text()
    config = _block(doc, "```yaml\n# mwgen.yaml\n")
    filters = _block(doc, "```python\n# lib/filters.py\n")
    (weather / "mwgen.yaml").write_text(config)
    (weather / "lib" / "filters.py").write_text(filters)
    assert mwgen("validate").exit_code == 0
    diff = mwgen("diff")
    assert diff.exit_code == 0, diff.stdout
    assert "kubernetes_version" in config and "extensions: lib/filters.py" in config


def test_diff_against_a_ref_uses_that_refs_configuration_and_filters(weather: Path) -> None:
    from tests.diff.gitrepo import commit_all, init_repo

    init_repo(weather)
    commit_all(weather, "base")
    filters = weather / "lib" / "filters.py"
    filters.write_text(filters.read_text().replace('f"{env}."', 'f"{env}-"'))
    result = mwgen("diff", "--against", "HEAD")
    assert result.exit_code == 1, result.stderr
    assert "-    - host: api.dev.us-west-2.weather.example.net" in result.stdout
    assert "+    - host: api.dev-us-west-2.weather.example.net" in result.stdout
