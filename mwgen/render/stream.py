"""One text stream of rendered files, for ``mwgen render --stdout``.

The stream is always a valid multi-document YAML stream, so it can be piped into
``kubeconform -`` or ``kubectl diff -f -`` whatever the project renders:

- files come sorted by their path under ``output/``; each starts a new document: ``---`` then ``# Source: <path under output/>``;
- a YAML file follows as written (its own ``---`` separators kept);
- any other file (JSON, HCL, text) follows with each line commented out as ``# | line``,
  so a reader sees it and a YAML tool sees an empty document.
"""

from __future__ import annotations

from collections.abc import Iterable

from mwgen.render.engine import RenderedFile

YAML_SUFFIXES = (".yaml", ".yml")


def stream(files: Iterable[RenderedFile]) -> str:
    """The files, sorted by output path, as one YAML stream (see the module docstring)."""
    parts: list[str] = []
    for f in sorted(files, key=lambda f: f.path):
        text = f.content.decode("utf-8")
        if f.path.endswith(YAML_SUFFIXES):
            parts.append(f"---\n# Source: {f.path}\n{_without_leading_start(text)}")
        else:
            body = "".join(f"# | {line}".rstrip(" ") + "\n" for line in text.splitlines())
            parts.append(f"---\n# Source: {f.path} (not YAML: shown as comments)\n{body}")
        if not parts[-1].endswith("\n"):
            parts[-1] += "\n"
    return "".join(parts)


def _without_leading_start(text: str) -> str:
    """Drop a ``---`` that opens the file's first document: the stream already wrote one."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("#") or not line.strip():
            continue
        if line.rstrip() == "---":
            del lines[i]
        break
    return "".join(lines)
