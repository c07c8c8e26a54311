"""mwgen.yaml: defaults without it, typed settings with it, located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from mwgen.config import load_config
from mwgen.errors import InputError


def test_defaults_without_a_file(tmp_path: Path) -> None:
    cfg = load_config(tmp_path)
    assert cfg.file is None
    assert cfg.output_dir == tmp_path / "output"
    assert cfg.schema_file == tmp_path / "schemas/values.schema.json"
    assert cfg.severity("ANY-1") == "error"


def test_settings_are_read(tmp_path: Path) -> None:
    (tmp_path / "mwgen.yaml").write_text(
        "output: rendered\nschema: false\nkubernetes_version: '1.31'\n"
        "lint:\n  rules: {R-1: warning}\n  packs: [mindweave]\n"
        "  external: {Secret: [ns/creds, plain]}\n")
    cfg = load_config(tmp_path)
    assert cfg.output_dir == tmp_path / "rendered"
    assert cfg.schema_file is None
    assert cfg.kubernetes_version == "1.31"
    assert cfg.severity("R-1") == "warning" and cfg.lint_packs == ("mindweave",)
    assert cfg.is_external("Secret", "creds", "ns") and cfg.is_external("Secret", "plain")
    assert not cfg.is_external("Secret", "creds", "other")


@pytest.mark.parametrize("text, where", [
    ("outptu: x\n", "mwgen.yaml:1:1: "),
    ("lint:\n  rules:\n    R-1: loud\n", "mwgen.yaml:3:5: lint.rules.R-1: "),
    ("output: ../elsewhere\n", "mwgen.yaml:1:1: output: "),
    ("output: [\n", "mwgen.yaml:"),
])
def test_errors_are_located(tmp_path: Path, text: str, where: str) -> None:
    (tmp_path / "mwgen.yaml").write_text(text)
    with pytest.raises(InputError) as info:
        load_config(tmp_path)
    assert info.value.lines()[0].startswith(where), info.value.lines()
