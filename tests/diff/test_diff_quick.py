"""``mwgen diff --quick``: answers from the manifest only when that is sound."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import FIXTURES, copy_project, mwgen


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    project = copy_project(FIXTURES / "mini", tmp_path / "mini")
    assert mwgen("--project", str(project), "render").exit_code == 0
    return project


def no_render(monkeypatch) -> list[str]:
    import mwgen.render.engine as engine

    calls: list[str] = []
    real = engine.Renderer.render_job
    monkeypatch.setattr(engine.Renderer, "render_job",
                        lambda self, job: calls.append(job.output) or real(self, job))
    return calls


def test_unchanged_inputs_answer_without_rendering(mini, monkeypatch):
    calls = no_render(monkeypatch)
    result = mwgen("--project", str(mini), "diff", "--quick")
    assert result.exit_code == 0 and "no input changed" in result.stdout
    assert calls == []


def test_a_changed_value_falls_back_to_the_full_comparison(mini, monkeypatch):
    calls = no_render(monkeypatch)
    path = mini / "values/environments/prod.yaml"
    path.write_text(path.read_text().replace("replicas: 3", "replicas: 4"))
    result = mwgen("--project", str(mini), "diff", "--quick", "--quiet")
    assert result.exit_code == 1 and "prod/r1/svc/web/deployment.yaml" in result.stdout
    assert calls


def test_a_hand_edited_output_falls_back_too(mini):
    path = mini / "output/prod/r1/config.yaml"
    path.write_text(path.read_text() + "extra: 1\n")
    assert mwgen("--project", str(mini), "diff", "--quick", "--quiet").exit_code == 1
