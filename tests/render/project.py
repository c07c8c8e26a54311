"""A one-target project built in a temporary folder, for rendering small templates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from mwgen.project import load_project
from mwgen.render.engine import render


def make_project(root: Path, templates: dict[str, str], values: dict[str, Any]) -> Path:
    """``root`` as a project with one target (dev/r1), ``values`` as its defaults and
    ``templates`` (path under templates/ -> source)."""
    (root / "values" / "environments").mkdir(parents=True)
    (root / "values" / "regions").mkdir()
    (root / "values" / "regions" / "r1.yaml").write_text("{}\n", encoding="utf-8")
    (root / "values" / "defaults.yaml").write_text(yaml.safe_dump(values), encoding="utf-8")
    (root / "values" / "environments" / "dev.yaml").write_text(
        "environment:\n  regions: [r1]\n", encoding="utf-8")
    (root / "schemas").mkdir()
    (root / "schemas" / "values.schema.json").write_text('{"type": "object"}')
    for name, source in templates.items():
        path = root / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return root


def render_texts(root: Path) -> dict[str, str]:
    """Output path -> rendered text (validation skipped: these tests are about rendering)."""
    result = render(load_project(root, search=False), validate=False)
    return {path: f.content.decode("utf-8") for path, f in result.files.items()}


def render_one(root: Path, name: str, source: str, values: dict[str, Any]) -> str:
    """The rendered text of one template ``name`` (its output path is ``name`` minus .j2)."""
    make_project(root, {name: source}, values)
    return render_texts(root)[name.removesuffix(".j2")]
