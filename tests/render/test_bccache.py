"""Compiled templates come from the user cache on later runs: the same bytes out, an
edited template recompiled, and errors still located in the template that raised them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import FIXTURES, copy_project, tree_hashes
from tests.helpers import render_into as render

MINI = FIXTURES / "mini"


@pytest.fixture
def cache(cold_cache: Path) -> Path:
    return cold_cache


def test_a_second_run_renders_the_same_bytes_from_the_cache(tmp_path: Path, cache: Path) -> None:
    root = copy_project(MINI, tmp_path / "mini")
    assert render(root, "a").exit_code == 0
    compiled = sorted(cache.glob("jinja/*/*.cache"))
    assert compiled  # every template compiled once and kept
    assert render(root, "b").exit_code == 0
    assert sorted(cache.glob("jinja/*/*.cache")) == compiled
    assert tree_hashes(root / "a") == tree_hashes(root / "b")


def test_an_edited_template_is_compiled_again(tmp_path: Path, cache: Path) -> None:
    root = copy_project(MINI, tmp_path / "mini")
    assert render(root, "a").exit_code == 0
    template = root / "templates/summary.json.j2"
    template.write_text(template.read_text().replace("{", '{"edited": true,', 1))
    assert render(root, "b").exit_code == 0
    assert '"edited": true' in (root / "b/summary.json").read_text()


def test_errors_from_cached_code_name_the_template_and_line(tmp_path: Path, cache: Path) -> None:
    for name in ("one", "two"):  # a copy elsewhere must not report the first one's path
        root = copy_project(MINI, tmp_path / name)
        template = root / "templates/summary.json.j2"
        template.write_text("{\n\n\"n\": {{ 10 // values.network.n }}\n}\n")
        (root / "values/regions/r1.yaml").write_text("region: {name: r1}\nnetwork: {n: 2}\n")
        (root / "values/regions/r2.yaml").write_text("region: {name: r2}\nnetwork: {n: 2}\n")
        (root / "values/environments/dev.yaml").write_text(
            "environment: {name: dev, regions: [r1]}\nnetwork: {n: 2}\n")
        (root / "values/defaults.yaml").write_text(
            (root / "values/defaults.yaml").read_text().replace("network:", "network:\n  n: 2"))
        assert render(root, "a").exit_code == 0, render(root, "a").output
        (root / "values/defaults.yaml").write_text(
            (root / "values/defaults.yaml").read_text().replace("n: 2", "n: 0"))
        result = render(root, "b")
        assert result.exit_code == 1
        assert "templates/summary.json.j2:3:" in result.stderr
        assert str(tmp_path / name) not in result.stderr.replace(str(root / "b"), "")
