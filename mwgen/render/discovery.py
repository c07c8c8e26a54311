"""Find templates and decide, from their paths, how often each renders.

``{env}``, ``{region}`` and ``{service}`` path segments repeat a template per
environment, per target and per service; a path with none renders once. Folders
starting with ``_`` or ``.`` hold macros and includes and never render.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mwgen.errors import TemplateError

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
SCOPES = ("global", "env", "target", "service")


@dataclass(frozen=True, slots=True)
class TemplateSpec:
    """One template file: its path under templates/ and the scope it renders in."""

    name: str  # posix path under templates/, the Jinja template name
    scope: str  # one of SCOPES

    @property
    def display(self) -> str:
        return f"templates/{self.name}"

    def output_path(self, env: str = "", region: str = "", service: str = "") -> str:
        """Output path relative to output/: placeholders filled, ``.j2`` dropped."""
        filled = self.name.replace("{env}", env).replace("{region}", region)
        filled = filled.replace("{service}", service)
        return filled.removesuffix(".j2")


def scope_of(name: str) -> str:
    """The scope implied by a template path, or a TemplateError naming the problem."""
    found = set(PLACEHOLDER.findall(name))
    unknown = found - {"env", "region", "service"}
    display = f"templates/{name}"
    if unknown:
        bad = ", ".join("{" + u + "}" for u in sorted(unknown))
        raise TemplateError(file=display, message=f"unknown placeholder {bad} in the path "
                            "(known: {env}, {region}, {service})")
    if "{" in PLACEHOLDER.sub("", name) or "}" in PLACEHOLDER.sub("", name):
        raise TemplateError(file=display, message="unbalanced '{' or '}' in the path")
    if "service" in found:
        if not {"env", "region"} <= found:
            raise TemplateError(file=display,
                                message="{service} needs {env} and {region} in the path")
        return "service"
    if "region" in found:
        if "env" not in found:
            raise TemplateError(file=display, message="{region} needs {env} in the path")
        return "target"
    return "env" if "env" in found else "global"


def discover(templates_dir: Path) -> list[TemplateSpec]:
    """Every renderable template, sorted by name for a deterministic order."""
    specs: list[TemplateSpec] = []
    if not templates_dir.is_dir():
        return specs
    for path in sorted(templates_dir.rglob("*.j2")):
        rel = path.relative_to(templates_dir)
        if any(part.startswith(("_", ".")) for part in rel.parts[:-1]) or rel.name.startswith("."):
            continue
        if not path.is_file():
            continue
        name = rel.as_posix()
        specs.append(TemplateSpec(name=name, scope=scope_of(name)))
    return specs
