"""Run the real ``terraform fmt`` over many snippets at once (one process per batch)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

TERRAFORM = shutil.which("terraform")
needs_terraform = pytest.mark.skipif(TERRAFORM is None, reason="terraform is not installed")
_REFUSED = re.compile(r"^\s*on (\S+?) line \d+", re.M)


def _env() -> dict[str, str]:
    return {**os.environ, "CHECKPOINT_DISABLE": "1", "TF_CLI_CONFIG_FILE": os.devnull,
            "TF_IN_AUTOMATION": "1"}


def _write(folder: Path, texts: list[str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, text in enumerate(texts):
        path = folder / f"c{i:05}.tf"
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
    return paths


def fmt_batch(texts: list[str], folder: Path) -> list[str | None]:
    """What ``terraform fmt`` writes for each text (None where it refuses the text)."""
    paths = _write(folder, texts)
    proc = subprocess.run([str(TERRAFORM), "fmt", "-no-color", "-list=false", str(folder)],
                          capture_output=True, text=True, env=_env(), timeout=600, check=False)
    refused = {Path(m).name for m in _REFUSED.findall(proc.stderr)}
    if proc.returncode not in (0, 2) or (proc.returncode == 2 and not refused):
        raise RuntimeError(f"terraform fmt failed: {proc.stderr[-2000:]}")
    return [None if p.name in refused else p.read_bytes().decode("utf-8") for p in paths]


def unchanged_by_fmt(texts: list[str], folder: Path) -> list[str]:
    """The texts ``terraform fmt -check`` would rewrite (empty: all are fixed points)."""
    paths = _write(folder, texts)
    proc = subprocess.run([str(TERRAFORM), "fmt", "-no-color", "-check", "-list=true", str(folder)],
                          capture_output=True, text=True, env=_env(), timeout=600, check=False)
    changed = {Path(line.strip()).name for line in proc.stdout.splitlines() if line.strip()}
    return [texts[i] for i, p in enumerate(paths) if p.name in changed]


_ERROR = re.compile(r"^Error: (.+?)\n\n\s*on (\S+?) line (\d+)", re.M)


def first_errors(texts: list[str], folder: Path) -> list[tuple[str, int] | None]:
    """Per text: terraform's first diagnostic (summary, line), None if it accepts the text."""
    paths = _write(folder, texts)
    proc = subprocess.run([str(TERRAFORM), "fmt", "-no-color", "-list=false", "-check", str(folder)],
                          capture_output=True, text=True, env=_env(), timeout=600, check=False)
    first: dict[str, tuple[str, int]] = {}
    for summary, path, line in _ERROR.findall(proc.stderr):
        first.setdefault(Path(path).name, (summary, int(line)))
    return [first.get(p.name) for p in paths]
