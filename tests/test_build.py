"""mwgen.build: the library's one call that renders to disk, as `mwgen render` does."""

from __future__ import annotations

from pathlib import Path

import pytest

from mwgen.build import inputs_unchanged, render_to_disk
from mwgen.errors import UsageError
from mwgen.project import load_project
from tests.helpers import FIXTURES, copy_project, tree_hashes


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    return copy_project(FIXTURES / "mini", tmp_path / "mini")


def test_render_to_disk_writes_then_skips_fresh_scopes(mini: Path) -> None:
    first = render_to_disk(load_project(mini))
    assert first.written and not first.unchanged and first.output_dir == mini / "output"
    assert inputs_unchanged(load_project(mini))
    again = render_to_disk(load_project(mini))
    assert again.written == [] and sorted(again.unchanged) == sorted(first.written)


def test_a_changed_value_is_stale_and_only_its_files_are_written(mini: Path) -> None:
    render_to_disk(load_project(mini))
    region = mini / "values/regions/r2.yaml"
    region.write_text(region.read_text() + "app:\n  note: changed\n")
    assert not inputs_unchanged(load_project(mini))
    report = render_to_disk(load_project(mini))
    assert "prod/r2/config.yaml" in report.written
    assert not [p for p in report.written if p.startswith(("dev/", "prod/r1/"))]


def test_targets_and_another_folder(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "elsewhere"
    report = render_to_disk(load_project(mini), ["dev/*"], output_dir=out)
    assert [str(t) for t in report.targets] == ["dev/r1"]
    assert tree_hashes(out) and not (mini / "output").exists()


def test_rebuild_needs_the_whole_project(mini: Path) -> None:
    with pytest.raises(UsageError, match="cannot be combined with -t"):
        render_to_disk(load_project(mini), ["dev/*"], rebuild=True)
