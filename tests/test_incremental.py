"""Incremental rendering: a no-op render renders nothing, any input change re-renders
exactly the scopes that read it, and hand edits are repaired."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, copy_project, mwgen

MINI = FIXTURES / "mini"


@pytest.fixture
def mini(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # A cold cache of its own: the session's may already know a scope's inputs (another
    # test rendered the same change), and then a scope is fresh without rendering.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    project = copy_project(MINI, tmp_path / "mini")
    assert mwgen("--project", str(project), "render").exit_code == 0
    return project


def rendered(project: Path, *args: str) -> dict:
    result = mwgen("--project", str(project), "render", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_no_op_render_writes_nothing(mini):
    assert rendered(mini)["written"] == []


def test_region_change_rerenders_only_scopes_that_read_it(mini, monkeypatch, tmp_path):
    # A cold cache: a warm one may know (rightly) that these exact inputs of the global
    # scope render into the files it already has, and skip it.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cold-cache"))
    assert rendered(mini)["written"] == []  # the cold cache learns today's inputs
    calls: list[str] = []
    import mwgen.render.engine as engine

    real = engine.Renderer.render_job

    def spy(self, job):
        calls.append(job.scope)
        return real(self, job)

    monkeypatch.setattr(engine.Renderer, "render_job", spy)
    path = mini / "values/regions/r2.yaml"
    path.write_text(path.read_text() + "app:\n  note: changed\n")
    out = rendered(mini)
    assert set(calls) == {"global", "env:prod", "target:prod/r2"}
    assert sorted(out["written"]) == ["prod/env.tf", "prod/r2/config.yaml"]


def test_shared_include_change_rerenders_its_users(mini):
    macro = mini / "templates/_lib/macros.j2"
    macro.write_text(macro.read_text().replace("managed-by: mwgen", "managed-by: mwgen-x"))
    written = rendered(mini)["written"]
    assert sorted(written) == ["dev/r1/config.yaml", "prod/r1/config.yaml", "prod/r2/config.yaml"]


def test_set_override_is_an_input(mini):
    assert "prod/r2/svc/web/deployment.yaml" in rendered(mini, "--set", "services.web.replicas=9")["written"]
    assert "prod/r2/svc/web/deployment.yaml" in rendered(mini)["written"]


def test_hand_edit_is_repaired_by_a_no_op_render(mini):
    path = mini / "output/prod/r1/config.yaml"
    original = path.read_text()
    path.write_text(original + "extra: 1\n")
    out = rendered(mini)
    assert out["overwrote_edits"] == ["prod/r1/config.yaml"]
    assert path.read_text() == original


def test_a_library_upgrade_rerenders_everything(mini, monkeypatch):
    import mwgen.incremental as incremental
    import mwgen.render.engine as engine

    calls: list[str] = []
    real = engine.Renderer.render_job
    monkeypatch.setattr(engine.Renderer, "render_job",
                        lambda self, job: calls.append(job.output) or real(self, job))
    rendered(mini)
    assert calls == []
    monkeypatch.setattr(incremental, "_library_fingerprint", lambda: b"jinja2=9.9")
    assert rendered(mini)["written"] == [] and len(calls) == 10
