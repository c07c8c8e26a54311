"""Terraform output is parsed, checked and formatted once per distinct content: the user
cache holds what passed (with a checksum), never a failure, and a damaged entry is
ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import FIXTURES, copy_project, tree_hashes
from tests.helpers import render_into as render

MINI = FIXTURES / "mini"


@pytest.fixture
def cache(cold_cache: Path) -> Path:
    return cold_cache


def test_passed_terraform_is_remembered_and_rendered_the_same(tmp_path: Path,
                                                              cache: Path) -> None:
    root = copy_project(MINI, tmp_path / "mini")
    assert render(root, "a").exit_code == 0
    entries = sorted((cache / "hcl-fmt").iterdir())
    assert len(entries) == len(list((root / "a").rglob("*.tf")))
    assert render(root, "b").exit_code == 0
    assert tree_hashes(root / "a") == tree_hashes(root / "b")


def test_a_damaged_entry_is_ignored(tmp_path: Path, cache: Path) -> None:
    root = copy_project(MINI, tmp_path / "mini")
    assert render(root, "a").exit_code == 0
    for entry in (cache / "hcl-fmt").iterdir():
        raw = entry.read_bytes()
        entry.write_bytes(raw.replace(b"=", b"= bogus", 1))
    assert render(root, "b").exit_code == 0
    assert tree_hashes(root / "a") == tree_hashes(root / "b")


def test_invalid_terraform_is_never_remembered(tmp_path: Path, cache: Path) -> None:
    root = copy_project(MINI, tmp_path / "mini")
    template = root / "templates/{env}/env.tf.j2"
    template.write_text(template.read_text() + "\nlocals {\n  broken = \n}\n")
    for out in ("a", "b"):
        result = render(root, out)
        assert result.exit_code == 1
        assert "rendered HCL is invalid" in result.stderr
    entries = list((cache / "hcl-fmt").glob("*")) if (cache / "hcl-fmt").exists() else []
    assert not any(b"broken" in entry.read_bytes() for entry in entries)
