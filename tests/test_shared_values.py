"""Targets share the merge of their common layers, and validation checks each shared
subtree once without ever hiding a problem: every target a problem reaches is named,
and a subtree that one layer changes is checked again where it changed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mwgen.project import load_project
from mwgen.schema.patterns import search, shared_subtrees
from tests.helpers import FIXTURES, copy_project

MINI = FIXTURES / "mini"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    return copy_project(MINI, tmp_path / "mini")


def edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text()) or {}
    change(data)
    path.write_text(yaml.safe_dump(data))


def test_targets_share_the_subtrees_no_upper_layer_touches(mini: Path) -> None:
    project = load_project(mini, search=False)
    dev, prod1, prod2 = (project.values(t).data for t in project.targets())
    assert dev["app"] is prod1["app"] is prod2["app"]
    assert dev["network"] is prod2["network"]
    # prod's environment file changes web; prod's two regions then share prod's web...
    assert prod1["services"]["web"]["replicas"] == 3
    assert prod1["services"]["web"] is not dev["services"]["web"]
    # ...except where a target's own file changes it again.
    assert prod2["services"]["web"]["replicas"] == 5


def test_sharing_changes_no_merged_value(mini: Path) -> None:
    project = load_project(mini, search=False)
    merged = {t.name: project.values(t).data for t in project.targets()}
    assert merged["dev/r1"]["services"] == {
        "web": {"image": "example/web", "tag": "1.0", "replicas": 1, "port": 8080},
        "worker": {"image": "example/worker", "tag": "2.0", "replicas": 1, "port": 9000}}
    assert "worker" not in merged["prod/r1"]["services"]
    assert merged["prod/r2"]["services"]["web"]["replicas"] == 5
    assert merged["prod/r2"]["region"] == {"name": "r2"}


def test_a_problem_in_a_shared_subtree_names_every_target(mini: Path) -> None:
    edit(mini / "values/defaults.yaml", lambda d: d["services"]["web"].update(port="http"))
    problems = load_project(mini, search=False).validate()
    [problem] = [p for p in problems if p.path == "services.web.port"]
    assert problem.targets == ("dev/r1", "prod/r1", "prod/r2")
    assert problem.file == "values/defaults.yaml"


def test_a_subtree_valid_in_one_target_is_checked_again_where_a_layer_changes_it(
        mini: Path) -> None:
    edit(mini / "values/targets/prod/r2.yaml",
         lambda d: d["services"]["web"].update(port="http"))
    problems = load_project(mini, search=False).validate()
    [problem] = [p for p in problems if p.path == "services.web.port"]
    assert problem.targets == ("prod/r2",)
    assert problem.file == "values/targets/prod/r2.yaml"


def test_an_invalid_subtree_is_reported_again_on_the_next_validation(mini: Path) -> None:
    edit(mini / "values/defaults.yaml", lambda d: d["services"]["worker"].update(replicas=-1))
    project = load_project(mini, search=False)
    for _ in range(2):
        problems = project.validate()
        assert [p.targets for p in problems if p.path == "services.worker.replicas"] == [
            ("dev/r1",)]


def test_memoised_pattern_answers_are_the_engines() -> None:
    with shared_subtrees():
        for _ in range(2):
            assert search("^[a-z]+$", "web") is True
            assert search("^[a-z]+$", "Web") is False


def test_targets_share_the_context_trees_of_shared_subtrees(mini: Path) -> None:
    from mwgen.render.engine import Renderer

    project = load_project(mini, search=False)
    renderer = Renderer(project)
    jobs, _ = renderer.plan(project.targets())
    by_target = {job.scope: renderer.context(job)["values"] for job in jobs
                 if job.scope.startswith("target:")}
    dev, prod1, prod2 = (by_target[f"target:{t}"] for t in ("dev/r1", "prod/r1", "prod/r2"))
    assert dev["app"] is prod1["app"] is prod2["app"]
    assert dev["app"]._mwgen_path == "values.app"  # the path errors name is kept
    assert prod2["services"]["web"]["replicas"] == 5
    assert prod1["services"]["web"]["replicas"] == 3
