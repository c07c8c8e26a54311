"""File-level comparison: which output files were added, changed, removed or edited.

Bytes are compared first; only files whose bytes differ are decoded, text-diffed
and parsed for the semantic diff, so an unchanged tree costs one read per file.

Two comparisons share this module:

* :func:`compare_with_output`: a fresh render against the committed ``output/``,
  using the manifest to tell removed generated files from foreign ones and to spot
  generated files edited by hand since the last render;
* :func:`compare_renders`: two renders (``--against GIT_REF``), no disk involved.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mwgen.diff.semantic import DocDiff, Unparsable, diff_documents, meaning_of
from mwgen.output import MANIFEST, Manifest, read_entry, read_path, safe_path, sha256
from mwgen.render.escaping import format_of

if TYPE_CHECKING:
    from mwgen.render.engine import RenderedFile, RenderResult

#: FileDiff.status values.
ADDED, CHANGED, REMOVED, MANIFEST_STALE = "added", "changed", "removed", "manifest"


@dataclass
class FileDiff:
    """One output file that differs; ``old``/``new`` are None when absent."""

    path: str  # relative to output/
    status: str  # ADDED | CHANGED | REMOVED | MANIFEST_STALE
    scope: str = "global"  # "global", "env:ENV", "target:ENV/REGION"
    template: str = ""
    old: bytes | None = None
    new: bytes | None = None
    edited: bool = False  # a generated file changed by hand since the last render
    note: str = ""
    unified: str = ""
    documents: list[DocDiff] = field(default_factory=list)
    meaning: str = "meaning"  # meaning | order | format | unknown
    output: str = "output"  # the output folder as users see it (``output:`` in mwgen.yaml)

    @property
    def shown(self) -> str:
        """The file as users see it: ``output/k8s/...``."""
        return f"{self.output}/{self.path}"

    @property
    def group(self) -> str:
        """What the file belongs to, for grouping: a target, an environment, global."""
        kind, _, name = self.scope.partition(":")
        if kind == "target":
            return name
        if kind == "env":
            return f"{name} (environment)"
        return "global"

    def to_json(self) -> dict[str, Any]:
        return {"path": self.shown, "status": self.status, "scope": self.scope,
                "group": self.group, "template": self.template, "edited": self.edited,
                "meaning": self.meaning, "note": self.note,
                "documents": [d.to_json() for d in self.documents], "diff": self.unified}


@dataclass
class DiffResult:
    """Everything that differs, plus what was compared (for summaries)."""

    files: list[FileDiff] = field(default_factory=list)
    compared: int = 0  # files looked at
    against: str = ""  # git ref, or '' for the committed output/
    output: str = "output"  # the output folder as users see it
    targets: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.files

    def counts(self) -> dict[str, int]:
        out = {ADDED: 0, CHANGED: 0, REMOVED: 0, MANIFEST_STALE: 0, "edited": 0}
        for f in self.files:
            out[f.status] += 1
            out["edited"] += f.edited
        return out

    def groups(self) -> dict[str, list[FileDiff]]:
        """Files by target (then environment, then global), in a stable order."""
        out: dict[str, list[FileDiff]] = {}
        for f in sorted(self.files, key=_group_order):
            out.setdefault(f.group, []).append(f)
        return out

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "against": self.against or None, "compared": self.compared,
                "targets": self.targets, "summary": self.counts(),
                "files": [f.to_json() for f in sorted(self.files, key=_group_order)]}


def _group_order(f: FileDiff) -> tuple[int, str, str]:
    rank = {"target": 0, "env": 1}.get(f.scope.partition(":")[0], 2)
    return rank, f.group, f.path


# -- analysis of one differing file ---------------------------------------------------
def _text(data: bytes | None) -> str:
    return "" if data is None else data.decode("utf-8", errors="replace")


_NO_NEWLINE = "\\ No newline at end of file\n"


def _diff_lines(text: str) -> list[str]:
    """Lines for difflib, split at newlines only; a last line without one is marked as
    diff and git mark it, so it never runs into the next line of the diff and a lost
    final newline shows as a change."""
    lines = text.split("\n")
    tail = lines.pop()  # "" when the text ends with a newline
    return [f"{line}\n" for line in lines] + ([f"{tail}\n{_NO_NEWLINE}"] if tail else [])


def analyse(diff: FileDiff, *, old_label: str = "a", new_label: str = "b") -> FileDiff:
    """Fill in the unified text diff and the semantic diff of ``diff`` (in place)."""
    old, new = _text(diff.old), _text(diff.new)
    name = diff.shown
    diff.unified = "".join(difflib.unified_diff(
        _diff_lines(old), _diff_lines(new),
        f"{old_label}/{name}" if diff.old is not None else "/dev/null",
        f"{new_label}/{name}" if diff.new is not None else "/dev/null"))
    if diff.status != CHANGED or diff.old is None or diff.new is None:
        return diff
    fmt = format_of(diff.path)
    try:
        diff.documents = semantic_diff(fmt, old, new, diff.path, shown=diff.shown)
    except Unparsable as err:
        diff.note, diff.meaning = str(err), "unknown"
        return diff
    diff.meaning = meaning_of(diff.documents) if fmt != "text" else "meaning"
    return diff


def semantic_diff(fmt: str, old: str, new: str, path: str, *, shown: str = "") -> list[DocDiff]:
    """Per-document (YAML/JSON) or per-address (HCL) diff; [] for plain text.

    ``path`` is relative to the output folder; ``shown`` names the file in messages
    (default ``output/PATH``)."""
    shown = shown or f"output/{path}"
    if fmt in ("yaml", "json"):
        return diff_documents(fmt, old, new, shown)
    if fmt == "hcl":
        from mwgen.diff.hcl import diff_hcl
        from mwgen.diff.semantic import FORMAT

        docs = diff_hcl(old, new, path, shown=shown)
        return docs or [DocDiff("file", FORMAT)]
    return []


# -- the two comparisons --------------------------------------------------------------
def compare_with_output(result: RenderResult, output_dir: Path, *,
                        display: str = "output", full: bool = False) -> DiffResult:
    """A render against the committed output folder (bytes first, then meaning).

    ``full``: the render covers the whole project, so a generated file of any scope
    it did not produce (a removed environment, region or target) is removed.
    Every path is checked before it is read: no link on the way, none from the
    manifest outside the folder.
    """
    manifest = Manifest.load(output_dir, display)
    checked: set[str] = set()
    stale = [rel for rel in manifest.owned() if rel not in result.files and
             (full or manifest.entry(rel)["scope"] in result.scopes)]
    old = {rel: read_entry(output_dir, rel, manifest, checked) for rel in stale}
    out = DiffResult(compared=len(result.files), output=display)
    FileDiff = partial(_FileDiff, output=display)  # noqa: N806 - the class, bound
    for rel, rendered in result.files.items():
        current = read_path(safe_path(output_dir, rel, display, checked), f"{display}/{rel}")
        entry = manifest.files.get(rel)
        edited = (current is not None and manifest.owns(rel)
                  and not manifest.generated(rel, sha256(current)))
        if current == rendered.content:
            if entry is None or entry.get("sha256") != sha256(current) or \
                    entry.get("template") != rendered.template or \
                    entry.get("scope") != rendered.scope:
                out.files.append(FileDiff(rel, MANIFEST_STALE, rendered.scope,
                                          rendered.template, current, current,
                                          note=f"{display}/{MANIFEST} does not record this "
                                               "file as rendered"))
            continue
        status = ADDED if current is None else CHANGED
        note = "" if manifest.owns(rel) or current is None else \
            "exists but was not generated by mwgen: a render would refuse to overwrite it"
        out.files.append(analyse(FileDiff(rel, status, rendered.scope, rendered.template,
                                          current, rendered.content, edited, note)))
    for rel in stale:
        entry = manifest.entry(rel)
        out.compared += 1
        current = old[rel]
        if current is None:
            out.files.append(FileDiff(rel, MANIFEST_STALE, entry["scope"], entry["template"],
                                      note=f"listed in {display}/{MANIFEST} but missing"))
            continue
        edited = not manifest.generated(rel, sha256(current))
        note = "" if entry["scope"] in result.scopes else \
            f"its scope ({entry['scope']}) no longer exists in the project"
        out.files.append(analyse(FileDiff(rel, REMOVED, entry["scope"], entry["template"],
                                          current, None, edited, note)))
    if manifest.pending:
        out.files.append(FileDiff(MANIFEST, MANIFEST_STALE,
                                  note="a render was stopped while writing; run `mwgen "
                                       "render` to finish it"))
    return out


def compare_renders(old: Mapping[str, RenderedFile], new: Mapping[str, RenderedFile], *,
                    old_label: str, new_label: str = "b", display: str = "output"
                    ) -> DiffResult:
    """Two in-memory renders (``--against``): what the newer inputs change."""
    out = DiffResult(compared=len(set(old) | set(new)), output=display)
    FileDiff = partial(_FileDiff, output=display)  # noqa: N806 - the class, bound
    for rel in _union(old, new):
        before, after = old.get(rel), new.get(rel)
        if before is not None and after is not None and before.content == after.content:
            continue
        status = ADDED if before is None else REMOVED if after is None else CHANGED
        meta = after or before
        assert meta is not None
        out.files.append(analyse(FileDiff(
            rel, status, meta.scope, meta.template,
            before.content if before else None, after.content if after else None),
            old_label=old_label, new_label=new_label))
    return out


def _union(*maps: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(k for m in maps for k in m))


_FileDiff = FileDiff
