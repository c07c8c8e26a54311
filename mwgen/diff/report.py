"""Reporters: a :class:`DiffResult` as text (terminal, CI log), JSON or Markdown.

Each reporter returns a string; the CLI prints it. They sit in a name-to-class dict
(:data:`REPORTERS`) so ``--format`` is a lookup and a new format is one class.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from mwgen.diff.compare import ADDED, CHANGED, MANIFEST_STALE, REMOVED, DiffResult, FileDiff

_COLOURS = {"red": 31, "green": 32, "cyan": 36}

_WHY = {ADDED: "not rendered yet", CHANGED: "differs from what values and templates give",
        REMOVED: "no longer generated", MANIFEST_STALE: "manifest out of date"}
#: PR comments have a size limit; a text diff longer than this is cut in Markdown.
MAX_MARKDOWN_DIFF_LINES = 200


class Reporter:
    """Turns a DiffResult into one string. ``color`` only matters for text."""

    def __init__(self, *, color: bool = False, quiet: bool = False) -> None:
        self.color = color
        self.quiet = quiet

    def report(self, result: DiffResult) -> str:
        raise NotImplementedError


def _tags(f: FileDiff) -> str:
    tags = [f.group]
    if f.edited:
        tags.append("edited by hand since the last render")
    if f.meaning in ("order", "format"):
        tags.append(f"{'key order' if f.meaning == 'order' else 'formatting'} only: "
                    "same meaning")
    return ", ".join(tags)


def summary(result: DiffResult) -> str:
    """One line: how many files differ and how, or that nothing does."""
    where = f"{result.against} and the working tree" if result.against else \
        f"the render and {result.output}/"
    if result.ok:
        return f"no difference between {where} ({result.compared} file(s) compared)"
    c = result.counts()
    line = (f"{len(result.files)} file(s) differ between {where}: {c[ADDED]} added, "
            f"{c[CHANGED]} changed, {c[REMOVED]} removed")
    if c[MANIFEST_STALE]:
        line += f", {c[MANIFEST_STALE]} manifest entr(ies) out of date"
    if c["edited"]:
        line += f", {c['edited']} edited by hand"
    same = sum(f.meaning in ("order", "format") for f in result.files)
    if same:
        line += f" ({same} of them in key order or formatting only)"
    return line + ("" if result.against else "; run: mwgen render")


class TextReporter(Reporter):
    """Per file: a header, the semantic lines, the unified diff; then a summary.
    ``quiet``: one line per stale file and the fix (the pre-commit hook)."""

    def style(self, text: str, *, bold: bool = False, fg: str = "") -> str:
        """``text`` in ANSI bold/colour when colour is on (the library stays click-free)."""
        if not self.color:
            return text
        codes = (["1"] if bold else []) + ([str(_COLOURS[fg])] if fg else [])
        return f"\x1b[{';'.join(codes)}m{text}\x1b[0m" if codes else text

    def report(self, result: DiffResult) -> str:
        if self.quiet:
            return self.quiet_report(result)
        out: list[str] = []
        for f in sorted(result.files, key=lambda f: f.path):
            out.append(self.style(f"{f.status} {f.shown}", bold=True)
                       + f"  [{_tags(f)}]")
            if f.note:
                out.append(f"  {f.note}")
            out.extend(f"  {line}" for d in f.documents for line in d.lines())
            out.extend(self.colour_diff(f.unified))
        out.append(summary(result))
        return "\n".join(out)

    def quiet_report(self, result: DiffResult) -> str:
        if result.ok:
            return ""
        if result.against:  # two renders: nothing on disk is stale, nothing to fix
            return "\n".join(f"{f.shown}: {f.status}"
                             for f in sorted(result.files, key=lambda f: f.path))
        lines = [f"{f.shown}: stale ({f.status}: {_WHY[f.status]}"
                 f"{', edited by hand' if f.edited else ''})"
                 for f in sorted(result.files, key=lambda f: f.path)]
        return "\n".join([*lines, "run: mwgen render"])

    def colour_diff(self, unified: str) -> list[str]:
        lines = unified.splitlines()
        if not self.color:
            return lines
        colours: dict[str, Callable[[str], str]] = {
            "+++": lambda s: self.style(s, bold=True), "---": lambda s: self.style(s, bold=True),
            "@@": lambda s: self.style(s, fg="cyan"), "+": lambda s: self.style(s, fg="green"),
            "-": lambda s: self.style(s, fg="red")}
        out = []
        for line in lines:
            paint = next((fn for prefix, fn in colours.items() if line.startswith(prefix)), None)
            out.append(paint(line) if paint else line)
        return out


class JsonReporter(Reporter):
    """For tools: everything, including each file's unified diff."""

    def report(self, result: DiffResult) -> str:
        return json.dumps(result.to_json(), indent=2, ensure_ascii=False, default=str)


def _code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


class MarkdownReporter(Reporter):
    """A pull-request comment: a summary table, then the changes grouped by target."""

    def report(self, result: DiffResult) -> str:
        title = f"`{result.against}` → working tree" if result.against else \
            f"render → committed `{result.output}/`"
        out = [f"## mwgen diff: {title}", ""]
        if result.ok:
            return "\n".join([*out, f"No difference ({result.compared} file(s) compared)."])
        groups = result.groups()
        out += ["| target | added | changed | removed | documents changed |",
                "| --- | ---: | ---: | ---: | ---: |"]
        for group, files in groups.items():
            n = {s: sum(f.status == s for f in files) for s in (ADDED, CHANGED, REMOVED)}
            docs = sum(len(f.documents) for f in files)
            out.append(f"| {group} | {n[ADDED]} | {n[CHANGED]} | {n[REMOVED]} | {docs} |")
        out += ["", summary(result), ""]
        for group, files in groups.items():
            out += [f"### {group}", ""]
            for f in files:
                out.extend(self.file_section(f))
        return "\n".join(out).rstrip() + "\n"

    def file_section(self, f: FileDiff) -> list[str]:
        extra = f" ({_tags(f).split(', ', 1)[1]})" if ", " in _tags(f) else ""
        out = [f"- **{f.status}** {_code(f.shown)}{extra}"]
        if f.note:
            out.append(f"  - {f.note}")
        out.extend(f"  - {_code(line)}" for d in f.documents for line in d.lines())
        if f.unified:
            lines = f.unified.splitlines()
            cut = len(lines) > MAX_MARKDOWN_DIFF_LINES
            shown = "\n".join(lines[:MAX_MARKDOWN_DIFF_LINES])
            out += ["", "  <details><summary>text diff</summary>", "", "  ```diff"]
            out += [f"  {line}" for line in shown.splitlines()]
            if cut:
                out.append(f"  ... ({len(lines) - MAX_MARKDOWN_DIFF_LINES} more lines)")
            out += ["  ```", "", "  </details>", ""]
        return out


REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "markdown": MarkdownReporter,
}
