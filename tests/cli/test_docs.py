"""``mwgen docs``: the values reference or the layer schema, printed, written or checked;
the text is the library's (mwgen.valuesdoc) for the schema validate uses."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mwgen.valuesdoc import layer_schema, reference
from tests.helpers import mwgen

SOURCE = "schemas/values.schema.json"


def _schema(root: Path) -> dict[str, object]:
    return json.loads((root / SOURCE).read_text())


def test_prints_the_librarys_reference_and_layer_schema(mini_cwd: Path) -> None:
    """Thin: the printed texts are valuesdoc's, byte for byte, with nothing on stderr."""
    printed = mwgen("docs")
    assert (printed.exit_code, printed.stderr) == (0, "")
    assert printed.stdout == reference(_schema(mini_cwd), SOURCE)
    layer = mwgen("docs", "--layer-schema")
    assert (layer.exit_code, layer.stderr) == (0, "")
    assert layer.stdout == json.dumps(layer_schema(_schema(mini_cwd), SOURCE), indent=2) + "\n"


def test_output_creates_missing_folders_and_leaves_an_equal_file_alone(mini_cwd: Path) -> None:
    target = mini_cwd / "docs" / "generated" / "VALUES.md"
    first = mwgen("docs", "--output", "docs/generated/VALUES.md")
    assert (first.exit_code, first.stdout, first.stderr) == (
        0, "", "docs/generated/VALUES.md: written\n")
    assert target.read_text() == reference(_schema(mini_cwd), SOURCE)
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    second = mwgen("docs", "--output", "docs/generated/VALUES.md")
    assert second.stderr == "docs/generated/VALUES.md: unchanged\n"
    assert target.stat().st_mtime_ns == 1_000_000_000  # not rewritten


def test_a_file_that_is_not_utf8_is_replaced(mini_cwd: Path) -> None:
    (mini_cwd / "VALUES.md").write_bytes(b"\xff\xfe old")
    assert mwgen("docs", "--check", "--output", "VALUES.md").exit_code == 1
    result = mwgen("docs", "--output", "VALUES.md")
    assert (result.exit_code, result.stderr) == (0, "VALUES.md: written\n")
    assert (mini_cwd / "VALUES.md").read_text().startswith("# Values")


def test_check_writes_nothing(mini_cwd: Path) -> None:
    missing = mwgen("docs", "--check", "--output", "VALUES.md")
    assert missing.exit_code == 1 and missing.stdout == ""
    assert missing.stderr == (f"VALUES.md: not up to date with {SOURCE} "
                              "(run `mwgen docs --output VALUES.md`)\n")
    assert not (mini_cwd / "VALUES.md").exists()
    (mini_cwd / "VALUES.md").write_text("stale\n")
    assert mwgen("docs", "--check", "--output", "VALUES.md").exit_code == 1
    assert (mini_cwd / "VALUES.md").read_text() == "stale\n"


@pytest.mark.parametrize("flags", [["--check"], ["--check", "--layer-schema"]])
def test_check_without_output_is_a_usage_error(mini_cwd: Path, flags: list[str]) -> None:
    result = mwgen("docs", *flags)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "mwgen: --check needs --output FILE (the file to compare)\n"


def test_a_broken_schema_is_one_located_line(mini_cwd: Path) -> None:
    (mini_cwd / SOURCE).write_text('{"type": "object",\n "properties": {,}}\n')
    result = mwgen("docs")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (f"{SOURCE}:2:17: invalid JSON: Expecting property name enclosed "
                             "in double quotes\n")
