"""The readers real consumers use, for read-back tests: PyYAML (YAML 1.1), ruamel.yaml
in YAML 1.2 mode, go-yaml v2 (kubectl's reader, built from Debian's
golang-gopkg-yaml.v2-dev when ``go`` is on PATH), ``terraform console`` and json.

Each takes a whole file (all strings of a test at once: one process per reader).
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml

GO_SOURCE = Path(__file__).resolve().parent / "goyaml" / "main.go"
#: Where Debian's golang-gopkg-yaml.v2-dev puts gopkg.in/yaml.v2 (GOPATH layout).
GOPATH = Path("/usr/share/gocode")


def pyyaml(text: str) -> list[Any]:
    return list(yaml.safe_load_all(text))


def ruamel12(text: str) -> list[Any]:
    from ruamel.yaml import YAML

    reader = YAML(typ="safe", pure=True)
    reader.version = (1, 2)
    return list(reader.load_all(text))


@lru_cache(maxsize=1)
def _goyaml_binary() -> str:
    """Build the reader once per source version, in the user's cache folder."""
    go = shutil.which("go")
    if go is None:
        pytest.skip("go is not on PATH (apt-get install golang-go golang-gopkg-yaml.v2-dev)")
    if not (GOPATH / "src" / "gopkg.in" / "yaml.v2").is_dir():
        pytest.skip(f"gopkg.in/yaml.v2 not under {GOPATH} (apt-get install "
                    "golang-gopkg-yaml.v2-dev)")
    digest = hashlib.sha256(GO_SOURCE.read_bytes()).hexdigest()[:16]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mwgen-tests"
    binary = cache / f"goyaml-{digest}"
    if not binary.exists():
        cache.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "GOPATH": str(GOPATH), "GO111MODULE": "off",
               "GOCACHE": str(cache / "go-build"), "GOFLAGS": ""}
        partial = cache / f"goyaml-{digest}.{os.getpid()}"
        subprocess.run([go, "build", "-o", str(partial), str(GO_SOURCE)], env=env,
                       check=True, capture_output=True, timeout=300)
        partial.replace(binary)
    return str(binary)


def goyaml(text: str) -> list[Any]:
    """Documents as go-yaml v2 reads them; non-strings become {"!type", "!value"}."""
    out = subprocess.run([_goyaml_binary()], input=text.encode("utf-8"),
                         capture_output=True, timeout=120)
    assert out.returncode == 0, out.stderr.decode()
    docs: list[Any] = json.loads(out.stdout)
    return docs


def terraform_console(folder: Path, expression: str) -> Any:
    """``expression`` evaluated by ``terraform console`` in ``folder`` (offline: only
    locals, no providers), decoded from its jsonencode()."""
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("terraform is not on PATH")
    out = subprocess.run([terraform, "console"], cwd=folder,
                         input=f"jsonencode({expression})\n".encode(), capture_output=True,
                         timeout=300, env={**os.environ, "TF_IN_AUTOMATION": "1",
                                           "CHECKPOINT_DISABLE": "1"})
    assert out.returncode == 0, out.stderr.decode()
    # The console prints the string jsonencode() returns quoted with Go's escapes
    # (\x7f, \u0085, \", \\), which a Python string literal reads the same way.
    literal = out.stdout.decode().strip()
    assert literal.startswith('"') and literal.endswith('"'), literal[:200]
    return json.loads(ast.literal_eval(literal))
