"""The hand-written MindWeave tree of MW-ENG-070, read from ``../shared/spec`` at test time.

The seed document is the company's, not this repository's: tests read it from the
``shared`` folder beside the checkout (or ``$MWGEN_TEST_SHARED``) and skip when it is
not there, so a fresh clone still passes and no copy of it lives in the repository.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED_NAME = "000_bd1d56f3e1a5bc0d.txt"


def shared_dir() -> Path:
    return Path(os.environ.get("MWGEN_TEST_SHARED") or ROOT.parent / "shared")


@lru_cache(maxsize=1)
def _blocks() -> tuple[tuple[str, str, str], ...]:
    """(language, section heading, body) of every fenced block of the seed document."""
    path = shared_dir() / "spec" / SEED_NAME
    if not path.is_file():
        pytest.skip(f"the MW-ENG-070 seed document is not at {path}")
    text = path.read_text(encoding="utf-8")
    out = []
    for match in re.finditer(r"```(\w*)\n(.*?)```", text, re.S):
        headings = re.findall(r"^### (.+)$", text[:match.start()], re.M)
        out.append((match.group(1), headings[-1] if headings else "", match.group(2)))
    return tuple(out)


def seed_documents() -> list[dict[str, Any]]:
    """Every Kubernetes-style object (apiVersion and kind) in the seed's YAML blocks."""
    docs = []
    for lang, _heading, body in _blocks():
        if lang == "yaml":
            docs.extend(d for d in yaml.safe_load_all(body)
                        if isinstance(d, dict) and "apiVersion" in d and "kind" in d)
    return docs


def seed_hcl(section: str) -> str:
    """The HCL block under the seed heading that starts with ``section`` (``"8.2"``)."""
    found = [body for lang, heading, body in _blocks()
             if lang == "hcl" and heading.startswith(section)]
    assert len(found) == 1, f"one HCL block in section {section} of the seed, found {len(found)}"
    return found[0]
