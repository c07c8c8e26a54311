"""Set one scalar in a YAML file, leaving every other byte as it was.

ruamel.yaml composes the file into nodes that know their exact character spans,
styles and anchors; the edit then replaces the scalar's span in the text (or inserts
the missing keys after the last line of the deepest mapping that exists). The file is
never re-emitted: a round-trip dump of the bundled ``values/defaults.yaml`` rewrites
43 of its lines (indentation of lists, spacing), while a span edit changes exactly the
scalar. Quoting style and any ``&anchor``/``!tag`` in front of the scalar are kept.

:func:`check_only` then reads the old and new text with mwgen's own loader and
refuses the edit if anything but the requested paths changed, which is what happens
when the scalar (or a mapping above it) is shared through an anchor and aliases.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any, Iterator, Mapping, Sequence

import yaml

from mwgen.errors import format_path
from mwgen.render.yamlplain import is_string_everywhere

_PROPERTIES = re.compile(r"(?:[&!][^\s]*\s+)*")
#: What a YAML 1.2 core-schema reader (go-yaml) takes for a number, bool or null.
_CORE_12 = re.compile(r"[-+]?(0o[0-7]+|0x[0-9a-fA-F]+|[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?"
                      r"|\.[0-9]+([eE][-+]?[0-9]+)?|\.(inf|Inf|INF)|\.(nan|NaN|NAN))"
                      r"|true|True|TRUE|false|False|FALSE|null|Null|NULL|~")
_ALIAS_VALUE = re.compile(r"[ \t]*:[ \t]*\*[^\s,\[\]{}]+")


class EditError(Exception):
    """The edit cannot be made safely; ``line``/``column`` are 1-based (0: unknown)."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


@dataclass(frozen=True)
class Edited:
    """The new text, where the written scalar now starts, and whether keys were added."""

    text: str
    line: int
    column: int
    created: bool


def set_scalar(text: str, path: Sequence[str], value: str) -> Edited:
    """``text`` with the string ``value`` at ``path`` (keys created when missing)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError as RuamelError
    from ruamel.yaml.nodes import MappingNode, ScalarNode

    try:
        node = YAML(typ="rt").compose(text)
    except RuamelError as err:  # mwgen's loader accepted it; ruamel is stricter
        mark = getattr(err, "problem_mark", None)
        raise EditError(f"cannot edit in place: {getattr(err, 'problem', err)}",
                        mark.line + 1 if mark else 0, mark.column + 1 if mark else 0) from None
    if node is None or (isinstance(node, ScalarNode) and node.value == ""):
        return _append_root(text, path, value)
    flow = False
    indents: list[int] = []
    for i, key in enumerate(path):
        if not isinstance(node, MappingNode):
            raise EditError(f"{format_path(path[:i]) or 'the document'} is not a mapping: "
                            f"cannot set {format_path(path)} in it", *_pos(node))
        flow = flow or bool(node.flow_style)
        child = next((v for k, v in node.value
                      if isinstance(k, ScalarNode) and k.value == key), None)
        if child is None:
            return _insert(text, node, path[i:], value, flow, indents)
        if node.value:
            indents.append(node.value[0][0].start_mark.column)
        node = child
    if not isinstance(node, ScalarNode):
        raise EditError(f"{format_path(path)} holds a mapping or a list, not a version",
                        *_pos(node))
    return _replace(text, node, value, flow)


def locate(text: str, path: Sequence[str]) -> tuple[int, int]:
    """Line and column of the key for ``path``, or of the first key on the way whose
    value is an alias (where an edit would leave this mapping for a shared one)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.nodes import MappingNode, ScalarNode

    node, found = YAML(typ="rt").compose(text), (0, 0)
    for key in path:
        if not isinstance(node, MappingNode):
            break
        pair = next(((k, v) for k, v in node.value
                     if isinstance(k, ScalarNode) and k.value == key), None)
        if pair is None:
            break
        found = _pos(pair[0])
        if pair[1].start_mark.index < pair[0].end_mark.index:
            break  # an alias
        node = pair[1]
    return found


def _pos(node: Any) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _at(text: str, index: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _replace(text: str, node: Any, value: str, flow: bool) -> Edited:
    if node.style in ("|", ">"):
        raise EditError("is a block scalar (| or >): write it on one line to promote it",
                        *_pos(node))
    start, end = node.start_mark.index, node.end_mark.index
    start += _PROPERTIES.match(text, start, end).end() - start  # type: ignore[union-attr]
    new = scalar_text(value, node.style, flow)
    out = text[:start] + new + text[end:]
    return Edited(out, *_at(out, start), created=False)


def scalar_text(value: str, style: str | None = None, flow: bool = False) -> str:
    """``value`` as a YAML scalar in ``style`` (plain when it reads back as the same
    string in YAML 1.1 and 1.2 readers, else double-quoted)."""
    if style == "'" and value.isprintable():
        return "'" + value.replace("'", "''") + "'"
    if style != '"' and _plain_ok(value, flow):
        return value
    return '"' + "".join(_escape(c) for c in value) + '"'


def _escape(c: str) -> str:
    """One character inside a YAML double-quoted scalar."""
    if c in '"\\':
        return "\\" + c
    if c.isprintable() and c not in "\x85\u2028\u2029\ufeff":
        return c
    code = ord(c)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _plain_ok(value: str, flow: bool) -> bool:
    if not value.isprintable() or value != value.strip() or value.startswith(("*", "&", "!")):
        return False
    if flow and any(c in value for c in ",[]{}"):
        return False
    if _CORE_12.fullmatch(value) or not is_string_everywhere(value):
        return False  # y, 0O17, 08... read as non-strings by go-yaml or YAML 1.2 tools
    for probe in (f"k: {value}\n", f"{{k: {value}}}\n") if flow else (f"k: {value}\n",):
        try:
            back = yaml.safe_load(probe)
        except yaml.YAMLError:
            return False
        if back != {"k": value} or not isinstance(back["k"], str):
            return False
    return True


def _last_end(text: str, node: Any) -> int:
    """Index just past the last character a block collection's content occupies."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    if isinstance(node, MappingNode) and not node.flow_style and node.value:
        key, child = node.value[-1]
        if child.start_mark.index < key.end_mark.index:  # an alias: the value is `*name`
            found = _ALIAS_VALUE.match(text, key.end_mark.index)
            return found.end() if found else key.end_mark.index
        return _last_end(text, child)
    if isinstance(node, SequenceNode) and not node.flow_style and node.value:
        return _last_end(text, node.value[-1])
    return int(node.end_mark.index)


def _nested_flow(keys: Sequence[str], value: str) -> str:
    out = scalar_text(value, None, True)
    for key in reversed(keys[1:]):
        out = "{" + scalar_text(key, None, True) + ": " + out + "}"
    return scalar_text(keys[0], None, True) + ": " + out


def _block(keys: Sequence[str], value: str, indent: int, step: int) -> tuple[str, int]:
    """Lines setting ``keys`` to ``value``; and the offset of the value in them."""
    lines = [" " * (indent + step * i) + scalar_text(k) + ":" for i, k in enumerate(keys)]
    lines[-1] += " "
    offset = sum(len(line) + 1 for line in lines[:-1]) + len(lines[-1])
    lines[-1] += scalar_text(value)
    return "\n".join(lines) + "\n", offset


def _insert(text: str, node: Any, keys: Sequence[str], value: str, flow: bool,
            indents: list[int]) -> Edited:
    if flow or node.flow_style:
        entry = _nested_flow(keys, value)
        if node.value:
            at = _last_end(text, node.value[-1][1])
            if node.value[-1][1].start_mark.index < node.value[-1][0].end_mark.index:
                at = _last_end(text, node)  # alias inside flow: rare; fall back
            entry = ", " + entry
        else:
            at = node.end_mark.index - 1  # just before the closing brace
        out = text[:at] + entry + text[at:]
        return Edited(out, *_at(out, at + len(entry) - len(scalar_text(value, None, True))),
                      created=True)
    indent = node.value[0][0].start_mark.column
    step = indent - indents[-1] if indents and indent > indents[-1] else _step(node)
    end = _last_end(text, node)
    if end > 0 and text[end - 1] == "\n":
        at = end
    else:
        newline = text.find("\n", end)
        if newline == -1:
            text += "\n"
            at = len(text)
        else:
            at = newline + 1
    block, offset = _block(keys, value, indent, step)
    if _blank_before(text, node.value[-1][0]):
        block, offset = "\n" + block, offset + 1  # entries here are set apart: so is this
    out = text[:at] + block + text[at:]
    return Edited(out, *_at(out, at + offset), created=True)


def _blank_before(text: str, key: Any) -> bool:
    """Whether the line above ``key`` (a mapping's last key, not its first) is blank."""
    start = key.start_mark.index - key.start_mark.column
    if start < 2 or key.start_mark.line == 0:
        return False
    above = text.rfind("\n", 0, start - 1)
    return text[above + 1:start - 1].strip() == "" and above >= 0


def _step(node: Any) -> int:
    """The file's indentation step, from the first nested block mapping (else 2)."""
    from ruamel.yaml.nodes import MappingNode

    for key, child in node.value:
        if isinstance(child, MappingNode) and not child.flow_style and child.value:
            step = child.value[0][0].start_mark.column - key.start_mark.column
            if step > 0:
                return int(step)
    return 2


def _append_root(text: str, keys: Sequence[str], value: str) -> Edited:
    if text and not text.endswith("\n"):
        text += "\n"
    block, offset = _block(keys, value, 0, 2)
    out = text + block
    return Edited(out, *_at(out, len(text) + offset), created=True)


def check_only(old_text: str, new_text: str, display: str,
               changes: Mapping[tuple[str, ...], str]) -> None:
    """Refuse (EditError) unless the new text means the old one with ``changes`` set."""
    from mwgen.yamlio import load_text

    old, _ = load_text(old_text, display)
    new, _ = load_text(new_text, display)
    expected = copy.deepcopy(old) if old is not None else {}
    for path, value in changes.items():
        node = expected
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
    if new == expected:
        return
    differ = list(_differences(expected, new, ()))
    if any(tuple(p) in changes for p in differ):
        wanted = ", ".join(map(repr, changes.values()))
        raise EditError(f"the edited file does not read back {wanted} (a bug in mwgen's "
                        "editor: please report it)")
    others = sorted(format_path(p) for p in differ)
    raise EditError(f"{', '.join(format_path(p) for p in changes)} is shared through a YAML "
                    f"anchor and alias with {', '.join(others) or 'other values'}: editing it "
                    "would change those too; give it its own value first, then promote")


def _differences(a: Any, b: Any, path: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in dict.fromkeys([*a, *b]):
            yield from _differences(a.get(key), b.get(key), path + (key,))
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            yield from _differences(x, y, path + (i,))
    elif a != b:
        yield path
