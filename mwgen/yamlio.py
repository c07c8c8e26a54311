"""Safe YAML loading that remembers where every value came from.

Values files are composed into PyYAML nodes (the libyaml C loader when present)
and built into plain Python data plus a parallel :class:`Prov` tree holding the
file, line and column of every key and item. Duplicate keys, merge keys, non-string
keys that cannot be read back, alias bombs and absurd nesting are refused with one
clear line naming the file and line. This is mwgen's one YAML loader: values, the
configuration, ``--set``, the render's read-back of its output and lint all read
through it (:func:`compose_all` keeps the node tree for lint's positions).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import yaml

from mwgen.errors import YAMLInputError

__all__ = ["Origin", "Prov", "YAMLInputError", "compose_all", "decode", "load_all", "load_mapping",
           "load_text", "read_back"]

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Limits that keep a hostile or broken file from eating memory or the stack.
MAX_NODES = 250_000
MAX_DEPTH = 100
#: Values are JSON data for Kubernetes, Terraform and Grafana: integers must fit in
#: 64 bits and floats must be finite (``.inf``, ``.nan`` and ``1.0e999`` are refused).
MAX_INT = 2**63 - 1

_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_KEEP_AS_TEXT = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary"}

#: Tag of each plain scalar seen (keys and values repeat across thousands of files).
_PLAIN_TAGS: dict[str, str] = {}
_PLAIN_TAGS_MAX = 50_000
#: Value of each (tag, text) of an immutable scalar kind: ports, replicas and booleans
#: repeat in every rendered file, and PyYAML's constructors are Python calls.
_SCALARS: dict[tuple[str, str], Any] = {}
_SCALAR_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
                "tag:yaml.org,2002:float"}


class _Loader(_BaseLoader):
    """The C loader whose resolver matches its regular expressions once per distinct
    plain scalar: resolving was a fifth of parsing a rendered file back."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0] and not self.yaml_path_resolvers:
            tag = _PLAIN_TAGS.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(value) <= 256 and len(_PLAIN_TAGS) < _PLAIN_TAGS_MAX:
                    _PLAIN_TAGS[value] = tag
            return tag
        return super().resolve(kind, value, implicit)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a value was set: a file relative to the project (or ``--set``), 1-based."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(slots=True)
class Prov:
    """Provenance node mirroring one value: its origin and its children's."""

    origin: Origin
    children: dict[str, Prov] | list[Prov] | None = None

    def at(self, path: tuple[Any, ...] | list[Any]) -> Prov:
        """The deepest node along ``path`` that exists (never fails)."""
        node = self
        for part in path:
            kids = node.children
            if isinstance(kids, dict) and part in kids:
                node = kids[part]
            elif isinstance(kids, list) and isinstance(part, int) and 0 <= part < len(kids):
                node = kids[part]
            else:
                break
        return node


def decode(raw: bytes, display: str) -> str:
    """UTF-8 text; a leading BOM is accepted and dropped, other bytes are an error."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        bad = raw[err.start:err.start + 1].hex()
        raise YAMLInputError(file=display, message=f"not valid UTF-8 (byte 0x{bad})",
                             line=line, column=column) from None


def _yaml_error(display: str, err: yaml.YAMLError, source: str = "") -> YAMLInputError:
    if isinstance(err, yaml.MarkedYAMLError) and err.problem_mark is not None:
        mark = err.problem_mark
        text = err.problem or "invalid YAML"
        if err.context:
            text = f"{err.context}: {text}"
        lines = source.splitlines()
        if mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
            text += " (a tab character: YAML indents with spaces only)"
        return YAMLInputError(file=display, message=f"invalid YAML: {text}",
                              line=mark.line + 1, column=mark.column + 1)
    return YAMLInputError(file=display, message=f"invalid YAML: {err}")


def load_text(text: str, display: str) -> tuple[Any, Prov]:
    """Parse one YAML document into (data, provenance). Empty text is ``{}``."""
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as err:
            raise _yaml_error(display, err, text) from None
        if node is None:
            return {}, Prov(Origin(display, 1, 1), {})
        data, prov = _Builder(loader, display, numbers=True).build(node, 0)
        assert prov is not None  # tracking builder
        return data, prov
    finally:
        loader.dispose()


def load_all(text: str, display: str) -> list[Any]:
    """Every document of a YAML stream (data only), with the same safety checks.

    Rendered output is mostly plain mappings, lists and scalars: those are built straight
    from libyaml's events, without composing node objects (half the time of a parse).
    Anything else (anchors, explicit tags, merge or non-scalar keys, a repeated key, a
    syntax error, the size limits) is left to :func:`compose_all`, whose answer, data or
    located error, is the reference (property-tested to agree)."""
    try:
        return _load_plain_events(text)
    except (_NotPlain, yaml.YAMLError, ValueError):
        return [data for data, _ in compose_all(text, display)]


def _constructed(loader: Any, node: yaml.Node) -> Any:
    """The scalar's value as PyYAML constructs it, remembered per (tag, text) for the
    immutable kinds (:data:`_SCALARS`); raises what the constructor raises."""
    key = (node.tag, node.value)
    try:
        return _SCALARS[key]
    except KeyError:
        value = loader.construct_object(node, deep=True)
    if node.tag in _SCALAR_TAGS and len(node.value) <= 64 and len(_SCALARS) < _PLAIN_TAGS_MAX:
        _SCALARS[key] = value
    return value


class _NotPlain(Exception):
    """The stream needs :func:`compose_all`."""


_NO_KEY: Any = object()


def _load_plain_events(text: str) -> list[Any]:
    """What ``compose_all`` + ``_Builder.plain`` build, for streams of untagged,
    anchor-free mappings, sequences and scalars; raises :class:`_NotPlain` otherwise."""
    loader = _Loader(text)
    try:
        get_event, resolve = loader.get_event, loader.resolve
        docs: list[Any] = []
        stack: list[list[Any]] = []  # [container, key awaiting its value | _NO_KEY]
        top: list[Any] | None = None
        count = 0
        while True:
            event = get_event()
            kind = type(event)
            if kind is yaml.ScalarEvent:
                if event.anchor is not None or event.tag not in (None, "!"):
                    raise _NotPlain
                value = event.value
                if event.implicit[0]:
                    tag = _PLAIN_TAGS.get(value) or resolve(yaml.ScalarNode, value,
                                                            event.implicit)
                else:
                    tag = _STR_TAG
                count += 1
                if top is not None and top[1] is _NO_KEY and type(top[0]) is dict:
                    if tag == _MERGE_TAG or value in top[0]:
                        raise _NotPlain  # refused (or reported) by compose_all
                    top[1] = value  # keys are their text, whatever they resolve to
                    continue
                if tag != _STR_TAG and tag not in _KEEP_AS_TEXT:
                    value = _constructed(loader, yaml.ScalarNode(tag, value))
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if event.anchor is not None or event.tag not in (None, "!"):
                    raise _NotPlain
                count += 1
                if count > MAX_NODES or len(stack) >= MAX_DEPTH:
                    raise _NotPlain  # compose_all says where
                value = {} if kind is yaml.MappingStartEvent else []
                if top is None:
                    docs.append(value)
                elif type(top[0]) is dict:
                    if top[1] is _NO_KEY:
                        raise _NotPlain  # a mapping or list as a key
                    top[0][top[1]] = value
                    top[1] = _NO_KEY
                else:
                    top[0].append(value)
                top = [value, _NO_KEY]
                stack.append(top)
                continue
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                stack.pop()
                top = stack[-1] if stack else None
                continue
            elif kind is yaml.StreamEndEvent:
                return docs
            elif kind is yaml.AliasEvent:
                raise _NotPlain
            else:  # stream and document start/end
                continue
            if top is None:
                docs.append(value)
            elif type(top[0]) is dict:
                top[0][top[1]] = value
                top[1] = _NO_KEY
            else:
                top[0].append(value)
    finally:
        loader.dispose()


def compose_all(text: str, display: str, *, duplicates: list[YAMLInputError] | None = None
                ) -> list[tuple[Any, yaml.Node | None]]:
    """Every document of a stream as (data, node tree); the nodes keep every position,
    which is how lint points a finding at its line.

    The checks are those of values files, except that numbers are not range-checked
    (rendered output, not values) and, when ``duplicates`` is a list, a repeated key is
    appended there and the later value wins (PyYAML's reading), so a checker can report
    it and go on; otherwise it is raised like every other problem.
    """
    loader = _Loader(text)
    docs: list[tuple[Any, yaml.Node | None]] = []
    try:
        builder = _Builder(loader, display, track=False, duplicates=duplicates)
        while True:
            try:
                if not loader.check_node():
                    break
                node = loader.get_node()
            except yaml.YAMLError as err:
                raise _yaml_error(display, err, text) from None
            if node is None:
                docs.append((None, None))
            elif duplicates is None:
                docs.append((builder.plain(node, 0), node))  # the fast path: raises anyway
            else:
                docs.append((builder.build(node, 0)[0], node))  # collects, never re-visits
        return docs
    finally:
        loader.dispose()


def read_back(text: str) -> list[Any]:
    """Every document as ``yaml.load_all(text, Loader=CSafeLoader)`` reads it (the same
    composer, resolver and constructors; no mwgen limits or refusals), about twice as
    fast: plain mappings, sequences and strings are built here, not by PyYAML's
    generic constructor. For checking text mwgen wrote itself."""
    loader = _Loader(text)
    docs: list[Any] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            docs.append(None if node is None else _as_read(loader, node))
        return docs
    finally:
        loader.dispose()


def _as_read(loader: Any, node: yaml.Node) -> Any:
    tag = node.tag
    if tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
        return node.value
    if tag == _SEQ_TAG and isinstance(node, yaml.SequenceNode):
        return [_as_read(loader, child) for child in node.value]
    if (tag == _MAP_TAG and isinstance(node, yaml.MappingNode)
            and all(isinstance(key, yaml.ScalarNode) and key.tag != _MERGE_TAG
                    for key, _ in node.value)):
        return {_as_read(loader, key): _as_read(loader, value) for key, value in node.value}
    return loader.construct_object(node, deep=True)  # numbers, null, tags, merges


def load_mapping(raw: bytes, display: str) -> tuple[dict[str, Any], Prov]:
    """A values file: one YAML document whose top level is a mapping."""
    data, prov = load_text(decode(raw, display), display)
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "null"
        kind = {"list": "a list", "str": "a string"}.get(kind, kind)
        raise YAMLInputError(file=display, message=f"expected a mapping at the top level, found {kind}",
                             line=prov.origin.line, column=prov.origin.column)
    return data, prov


class _Builder:
    """Turns composed nodes into data (+ Prov when ``track``), enforcing the limits.

    Rendered output is only checked, never explained, so it skips the provenance tree.
    """

    def __init__(self, loader: Any, display: str, *, numbers: bool = False,
                 track: bool = True, duplicates: list[YAMLInputError] | None = None) -> None:
        self.loader = loader
        self.display = display
        self.count = 0
        self.numbers = numbers  # enforce the range of values' numbers (not rendered output)
        self.track = track
        self.duplicates = duplicates  # collect repeated keys here instead of raising

    def _origin(self, node: yaml.Node) -> Origin:
        mark = node.start_mark
        return Origin(self.display, mark.line + 1, mark.column + 1)

    def _fail(self, node: yaml.Node, message: str) -> YAMLInputError:
        o = self._origin(node)
        return YAMLInputError(file=self.display, message=message, line=o.line, column=o.column)

    def build(self, node: yaml.Node, depth: int) -> tuple[Any, Prov | None]:
        self.count += 1
        if self.count > MAX_NODES:
            raise self._fail(node, f"document too large (more than {MAX_NODES} values; "
                                   "an alias bomb?)")
        if depth > MAX_DEPTH:
            raise self._fail(node, f"nested deeper than {MAX_DEPTH} levels")
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            built = [self.build(child, depth + 1) for child in node.value]
            items = [value for value, _ in built]
            if not self.track:
                return items, None
            return items, Prov(self._origin(node), [prov for _, prov in built])  # type: ignore[misc]
        value = self._scalar(node)
        return value, Prov(self._origin(node)) if self.track else None

    def plain(self, node: yaml.Node, depth: int) -> Any:
        """Data only, the same refusals as :meth:`build` (which this hands every
        questionable node to, for its located error), without provenance tuples."""
        self.count += 1
        if self.count > MAX_NODES or depth > MAX_DEPTH:
            self.count -= 1
            return self.build(node, depth)[0]  # raises the located error
        kind = type(node)
        if kind is yaml.ScalarNode:
            return node.value if node.tag == _STR_TAG else self._scalar(node)
        if kind is yaml.SequenceNode:
            return [self.plain(child, depth + 1) for child in node.value]
        data: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if (type(key_node) is not yaml.ScalarNode or key_node.tag == _MERGE_TAG
                    or key_node.value in data):
                self.count -= 1
                return self.build(node, depth)[0]  # raises the located refusal
            data[key_node.value] = self.plain(value_node, depth + 1)
        return data

    def _scalar(self, node: yaml.Node) -> Any:
        if node.tag == _STR_TAG:
            return node.value  # what the constructor returns, without its dispatch
        if node.tag in _KEEP_AS_TEXT:
            return node.value  # dates and binaries stay text: values are JSON data
        try:
            value = _constructed(self.loader, node)
        except yaml.YAMLError as err:
            raise _yaml_error(self.display, err) from None
        except ValueError:  # an integer beyond Python's int-from-text digit limit
            raise self._out_of_range(node) from None
        if self.numbers and not isinstance(value, bool) and (
                (isinstance(value, int) and not -MAX_INT - 1 <= value <= MAX_INT)
                or (isinstance(value, float) and not math.isfinite(value))):
            raise self._out_of_range(node)
        return value

    def _out_of_range(self, node: yaml.Node) -> YAMLInputError:
        text = node.value if len(node.value) <= 24 else node.value[:21] + "..."
        return self._fail(node, f"number out of range: {text} (integers must fit in 64 bits, "
                                "floats must be finite)")

    def _mapping(self, node: yaml.MappingNode, depth: int) -> tuple[dict[str, Any], Prov | None]:
        data: dict[str, Any] = {}
        provs: dict[str, Prov] = {}
        first_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                raise self._fail(key_node, "YAML merge keys ('<<') are not supported: "
                                           "write the keys out or use a values layer")
            if not isinstance(key_node, yaml.ScalarNode):
                raise self._fail(key_node, "a mapping key must be a plain scalar")
            key = self._scalar(key_node) if key_node.tag == _STR_TAG else key_node.value
            key = key if isinstance(key, str) else str(key_node.value)
            if key in first_lines:
                dup = self._fail(key_node, f"duplicate key '{key}' "
                                           f"(first at line {first_lines[key]})")
                if self.duplicates is None:
                    raise dup
                self.duplicates.append(dup)
            else:
                first_lines[key] = key_node.start_mark.line + 1
            value, prov = self.build(value_node, depth + 1)
            data[key] = value
            if self.track:
                # A key's provenance points at the key itself: that is what users edit.
                provs[key] = Prov(self._origin(key_node), prov.children if prov else None)
        return data, Prov(self._origin(node), provs) if self.track else None
