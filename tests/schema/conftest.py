"""Shared helpers of the schema tests: a writable copy of tests/fixtures/mini and edits
to its values schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import FIXTURES, copy_project

MINI = FIXTURES / "mini"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    return copy_project(MINI, tmp_path / "mini")


def edit_schema(root: Path, change: Any) -> Path:
    path = root / "schemas/values.schema.json"
    schema = json.loads(path.read_text())
    change(schema)
    path.write_text(json.dumps(schema, indent=1) + "\n")
    return path


def located(path: Path, needle: str) -> str:
    """``line:col`` of the first ``needle`` in ``path``."""
    text = path.read_text()
    before = text[:text.index(needle)]
    return f"{before.count(chr(10)) + 1}:{len(before) - before.rfind(chr(10))}"
