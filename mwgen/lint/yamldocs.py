"""Multi-document YAML with positions, so every finding can name a line.

Each document keeps its composed node tree next to the constructed data; a JSON-style
error path (``("spec", "template", 0)``) is turned back into the line of the deepest node
that exists. Duplicate keys are reported here, because PyYAML would silently keep the
last value and a validator would never see the first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence

import yaml

try:  # the C loader is several times faster on big output trees
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

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


def duplicate_keys(node: yaml.Node) -> Iterator[tuple[int, int, str]]:
    """Yield (line, column, message) for every repeated key in any mapping."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, yaml.MappingNode):
            seen: dict[str, int] = {}
            for k, v in n.value:
                if isinstance(k, yaml.ScalarNode) and k.tag != "tag:yaml.org,2002:merge":
                    if k.value in seen:
                        yield (k.start_mark.line + 1, k.start_mark.column + 1,
                               f"duplicate key {k.value!r} (first at line {seen[k.value]})")
                    else:
                        seen[k.value] = k.start_mark.line + 1
                stack.append(v)
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)


def load_yaml(text: str, *, line_offset: int = 0) -> LoadResult:
    """Every document of ``text``; a syntax error ends the stream with one error."""
    result = LoadResult()
    loader = _Loader(text)
    index = 0
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                break
            dups = list(duplicate_keys(node))
            result.errors.extend((ln + line_offset, col, msg) for ln, col, msg in dups)
            data = loader.construct_document(node)
            result.docs.append(Doc(data=data, node=node, index=index, line_offset=line_offset))
            index += 1
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else 0
        col = mark.column + 1 if mark else 0
        result.errors.append((line, col, f"YAML error: {exc.problem or exc}"))
    except yaml.YAMLError as exc:
        result.errors.append((line_offset, 0, f"YAML error: {exc}"))
    finally:
        loader.dispose()
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
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        node = None
    result.docs.append(Doc(data=data, node=node, line_offset=line_offset))
    return result

