"""What a change *means*: per-document diffs of YAML and JSON output.

A unified text diff shows bytes; reviewers want ``spec.replicas: 3 -> 6``. Documents
are matched by identity (apiVersion, kind, namespace, name), not by position, so
moving a document or adding one above it does not read as "everything changed".
When two documents hold the same data in a different key or document order, or in a
different layout, that is reported as such, apart from changes of meaning.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from deepdiff import DeepDiff
from deepdiff.helper import notpresent

from mwgen.errors import MwgenError, format_path
from mwgen.render.formats import parse_output
from mwgen.yamlio import YAMLInputError

#: DocDiff.status values: what happened to one document.
ADDED, REMOVED, CHANGED, ORDER, FORMAT = "added", "removed", "changed", "order", "format"

_MAX_SHOWN = 80


@dataclass(frozen=True)
class Change:
    """One leaf that differs: ``path`` dotted, ``old``/``new`` None when absent."""

    path: str
    old: Any = None
    new: Any = None
    kind: str = CHANGED  # added | removed | changed

    def format(self) -> str:
        if self.kind == ADDED:
            return f"{self.path}: added {show(self.new)}"
        if self.kind == REMOVED:
            return f"{self.path}: removed (was {show(self.old)})"
        return f"{self.path}: {show(self.old)} -> {show(self.new)}"

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "kind": self.kind, "old": _jsonable(self.old),
                "new": _jsonable(self.new)}


@dataclass
class DocDiff:
    """One document (or Terraform address) that differs between the two sides."""

    label: str  # "Deployment mindweave-services/api-gateway", "module.vpc.aws_subnet.public"
    status: str  # ADDED | REMOVED | CHANGED | ORDER | FORMAT
    changes: list[Change] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Human lines: one per changed path, or one for the whole document."""
        if self.status == ADDED:
            return [f"{self.label}: added"]
        if self.status == REMOVED:
            return [f"{self.label}: removed"]
        if self.status == ORDER:
            return [f"{self.label}: key order only (same meaning)"]
        if self.status == FORMAT:
            return [f"{self.label}: formatting only (same meaning)"]
        return [f"{self.label}: {c.format()}" for c in self.changes]

    def to_json(self) -> dict[str, Any]:
        return {"document": self.label, "status": self.status,
                "changes": [c.to_json() for c in self.changes]}


class Unparsable(MwgenError):
    """One side does not parse in its format (a hand edit broke it). ``diff`` reports it
    as the file's note ("meaning unknown"), so it rarely stops a run."""


# -- values shown to people -----------------------------------------------------------
class Expr(str):
    """A Terraform expression (``var.cidr``): shown bare, unlike a quoted string."""


def show(value: Any) -> str:
    """A value as one short line: ``3``, ``"v2.1.0"``, ``{"a": 1}``."""
    if isinstance(value, Expr):
        text = str(value)
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, sort_keys=False, default=str)
        except (TypeError, ValueError):
            text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN - 3] + "..."


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return str(value)
    return value


def dotted(parts: Sequence[Any]) -> str:
    """``['spec', 'containers', 0, 'image']`` -> ``spec.containers[0].image`` (the
    same path notation as lint findings)."""
    return format_path(parts) or "(document)"


# -- comparing data --------------------------------------------------------------------
def deep_changes(old: Any, new: Any) -> list[Change]:
    """Leaf changes between two parsed values, in path order (deepdiff underneath)."""
    diff = DeepDiff(old, new, view="tree", verbose_level=2)
    changes: list[Change] = []
    for levels in diff.values():
        for level in levels:
            path = dotted(level.path(output_format="list"))
            if level.t1 is notpresent:
                changes.append(Change(path, None, level.t2, ADDED))
            elif level.t2 is notpresent:
                changes.append(Change(path, level.t1, None, REMOVED))
            else:
                changes.append(Change(path, level.t1, level.t2, CHANGED))
    return sorted(changes, key=lambda c: c.path)


def ordered(value: Any) -> Any:
    """``value`` with mapping order made significant (dicts compare order-blind)."""
    if isinstance(value, dict):
        return tuple((k, ordered(v)) for k, v in value.items())
    if isinstance(value, list):
        return tuple(ordered(v) for v in value)
    return value


def diff_keyed(old: dict[str, Any], new: dict[str, Any]) -> list[DocDiff]:
    """Documents keyed by identity: added, removed, changed, reordered."""
    out: list[DocDiff] = []
    for label in [*old, *(k for k in new if k not in old)]:
        if label not in new:
            out.append(DocDiff(label, REMOVED))
        elif label not in old:
            out.append(DocDiff(label, ADDED))
        elif old[label] != new[label]:
            out.append(DocDiff(label, CHANGED, deep_changes(old[label], new[label])))
        elif ordered(old[label]) != ordered(new[label]):
            out.append(DocDiff(label, ORDER))
    return out


# -- YAML / JSON documents ------------------------------------------------------------
def identity(doc: Any, index: int) -> str:
    """How a document is named and matched: ``Kind namespace/name`` (apiVersion kept
    apart only when two documents share kind and name), else its position."""
    if isinstance(doc, dict) and doc.get("kind"):
        meta = doc.get("metadata")
        meta = meta if isinstance(meta, dict) else {}
        name = str(meta.get("name", "")) or f"#{index + 1}"
        ns = meta.get("namespace")
        return f"{doc['kind']} {ns}/{name}" if ns else f"{doc['kind']} {name}"
    return f"document {index + 1}"


def keyed_documents(docs: Iterable[Any]) -> dict[str, Any]:
    """Documents by identity; the apiVersion joins the key only when needed to tell
    two documents apart, so labels stay short."""
    docs = list(docs)
    labels = [identity(d, i) for i, d in enumerate(docs)]
    out: dict[str, Any] = {}
    for doc, label in zip(docs, labels):
        if labels.count(label) > 1 and isinstance(doc, dict) and doc.get("apiVersion"):
            label = f"{label} ({doc['apiVersion']})"
        base, n = label, 2
        while label in out:
            label, n = f"{base} #{n}", n + 1
        out[label] = doc
    return out


def parse_documents(fmt: str, text: str, display: str) -> list[Any]:
    """The documents of a YAML (all) or JSON (one) file; Unparsable when broken."""
    try:
        parsed = parse_output(fmt, text, display)
    except (YAMLInputError, json.JSONDecodeError) as err:
        raise Unparsable(f"{display} does not parse: {getattr(err, 'message', None) or err}"
                         ) from None
    return parsed if fmt == "yaml" else [parsed]


def diff_documents(fmt: str, old_text: str, new_text: str, display: str) -> list[DocDiff]:
    """Per-document diff of two YAML or JSON texts.

    Returns an empty list only when both sides hold the same documents in the same
    order with the same key order; a layout-only change gives one FORMAT entry.
    """
    old_docs = keyed_documents(parse_documents(fmt, old_text, display))
    new_docs = keyed_documents(parse_documents(fmt, new_text, display))
    docs = diff_keyed(old_docs, new_docs)
    if docs:
        return docs
    if list(old_docs) != list(new_docs):
        return [DocDiff("documents", ORDER)]
    if old_text != new_text:
        return [DocDiff("file", FORMAT)]
    return []


def meaning_of(docs: Sequence[DocDiff]) -> str:
    """The file-level verdict: ``meaning`` if any document means something else,
    else ``order`` or ``format`` (or ``none`` when nothing differs)."""
    statuses = {d.status for d in docs}
    if statuses & {ADDED, REMOVED, CHANGED}:
        return "meaning"
    if ORDER in statuses:
        return "order"
    if FORMAT in statuses:
        return "format"
    return "none"
