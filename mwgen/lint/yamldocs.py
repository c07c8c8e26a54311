"""Multi-document YAML with positions, so every finding can name a line.

Each document keeps its composed node tree next to the constructed data; a JSON-style
error path (``("spec", "template", 0)``) is turned back into the line of the deepest node
that exists. The documents are read by mwgen's one YAML loader
(:func:`mwgen.yamlio.compose_all`); its duplicate keys are reported as findings here,
because PyYAML would silently keep the last value and a validator would never see the
first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from mwgen.yamlio import YAMLInputError, compose_all

PathPart = Any  # str key or int index


@dataclass
class Doc:
    """One YAML (or JSON) document: the data plus the node tree it came from."""

    data: Any
    node: yaml.Node | None
    index: int = 0
    #: added to node lines; non-zero for a JSON text embedded in a YAML block scalar
    line_offset: int = 0

    @property
    def line(self) -> int:
        """1-based line where the document starts (its first key)."""
        if self.node is None:
            return 0
        return self.node.start_mark.line + 1 + self.line_offset

    def position(self, path: Sequence[PathPart], *, key: bool = False) -> tuple[int, int]:
        """(line, column) of the value at ``path`` (or of its key), else of the deepest
        parent that exists; (0, 0) when the document has no positions."""
        if self.node is None:
            return 0, 0
        found = find_node(self.node, path, key=key)
        mark = found.start_mark
        column = mark.column + 1 if not self.line_offset else 0
        return mark.line + 1 + self.line_offset, column


@dataclass
class LoadResult:
    docs: list[Doc] = field(default_factory=list)
    #: (line, column, message) for a file that did not parse or a duplicate key
    errors: list[tuple[int, int, str]] = field(default_factory=list)


def find_node(node: yaml.Node, path: Sequence[PathPart], *, key: bool = False) -> yaml.Node:
    """Walk ``path`` through the node tree; stop at the deepest node that exists."""
    current = node
    for i, part in enumerate(path):
        last = i == len(path) - 1
        if isinstance(current, yaml.MappingNode):
            for k, v in current.value:
                if isinstance(k, yaml.ScalarNode) and k.value == str(part):
                    current = k if (last and key) else v
                    break
            else:
                return current
        elif isinstance(current, yaml.SequenceNode) and isinstance(part, int):
            if 0 <= part < len(current.value):
                current = current.value[part]
            else:
                return current
        else:
            return current
    return current


def load_yaml(text: str, *, line_offset: int = 0) -> LoadResult:
    """Every document of ``text``; a syntax error ends the stream with one error."""
    result = LoadResult()
    duplicates: list[YAMLInputError] = []
    try:
        docs = compose_all(text, "", duplicates=duplicates)
    except YAMLInputError as err:
        docs = []
        result.errors.append((err.line + line_offset if err.line else line_offset,
                              err.column, err.message))
    result.errors[:0] = [(d.line + line_offset, d.column, d.message) for d in duplicates]
    result.docs = [Doc(data=data, node=node, index=i, line_offset=line_offset)
                   for i, (data, node) in enumerate(docs)]
    return result


def load_json(text: str, *, line_offset: int = 0) -> LoadResult:
    """A JSON text as one document; positions come from reading it as YAML.

    JSON is (nearly) a subset of YAML, so composing it gives node marks for free. When
    that fails (rare escapes) the data is still checked, just without line numbers.
    """
    import json

    result = LoadResult()
    try:
        data = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", 0)
        col = getattr(exc, "colno", 0)
        msg = getattr(exc, "msg", str(exc))
        result.errors.append((line + line_offset if line else line_offset, col,
                              f"invalid JSON: {msg}"))
        return result
    node: yaml.Node | None
    try:
        node = compose_all(text, "", duplicates=[])[0][1]
    except (YAMLInputError, IndexError):
        node = None
    result.docs.append(Doc(data=data, node=node, line_offset=line_offset))
    return result

