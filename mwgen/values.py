"""Layering of value files with provenance.

The rules of README.md ("Values and layering"): mappings merge deeply, lists are
replaced whole, ``null`` deletes a key. Merging never mutates its inputs (layers are shared by many targets); it builds
new mappings along the merged paths and shares untouched subtrees, so callers must
treat merged data as read-only.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from mwgen.errors import UsageError
from mwgen.yamlio import Origin, Prov, YAMLInputError, load_text


@dataclass(frozen=True, slots=True)
class Layer:
    """One source of values: a file, or the ``--set`` overrides."""

    name: str  # display path relative to the project, or "--set"
    data: dict[str, Any]
    prov: Prov


@dataclass(slots=True)
class MergedValues:
    """The result of layering: plain data plus where every key came from."""

    data: dict[str, Any]
    prov: Prov
    layers: tuple[str, ...] = ()

    def origin(self, path: Sequence[Any]) -> Origin:
        """Origin of ``path``, or of its deepest existing ancestor."""
        return self.prov.at(tuple(path)).origin

    def leaves(self) -> Iterator[tuple[tuple[Any, ...], Any, Origin]]:
        """Every leaf (scalar, empty mapping or empty list) with its origin."""
        yield from _leaves(self.data, self.prov, ())


def _leaves(data: Any, prov: Prov, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any, Origin]]:
    kids = prov.children
    if isinstance(data, dict) and data and isinstance(kids, dict):
        for key, value in data.items():
            yield from _leaves(value, kids[key], path + (key,))
    elif isinstance(data, list) and data and isinstance(kids, list):
        for i, value in enumerate(data):
            yield from _leaves(value, kids[i], path + (i,))
    else:
        yield path, data, prov.origin


def merge(base: Any, base_prov: Prov, over: Any, over_prov: Prov) -> tuple[Any, Prov]:
    """Merge ``over`` onto ``base``; returns new (data, prov), inputs untouched."""
    if not (isinstance(base, dict) and isinstance(over, dict)):
        if isinstance(over, dict):
            # A fresh subtree still obeys "null deletes" inside it.
            return merge({}, Prov(over_prov.origin, {}), over, over_prov)
        return over, over_prov
    out = dict(base)
    base_kids = base_prov.children if isinstance(base_prov.children, dict) else {}
    over_kids = over_prov.children if isinstance(over_prov.children, dict) else {}
    out_kids = dict(base_kids)
    for key, value in over.items():
        if value is None:
            out.pop(key, None)
            out_kids.pop(key, None)
            continue
        kid = over_kids[key]
        if key in out and isinstance(out[key], dict) and isinstance(value, dict):
            out[key], merged_prov = merge(out[key], out_kids[key], value, kid)
            out_kids[key] = merged_prov
        else:
            out[key], out_kids[key] = merge(None, kid, value, kid)
    return out, Prov(base_prov.origin, out_kids)


def layer_all(layers: Sequence[Layer],
              shared: dict[tuple[int, ...], tuple[Any, Prov]] | None = None) -> MergedValues:
    """Merge layers lowest first.

    ``shared`` remembers the merge of every prefix of layers (by layer identity; the
    caller keeps the layers alive): targets then share the defaults' and their
    environment's merge, so an untouched subtree is one object in every target (less
    memory, and validation checks it once)."""
    data: Any = {}
    prov = Prov(Origin(layers[0].name if layers else "", 1, 1), {})
    for i, layer in enumerate(layers):
        key = tuple(id(l) for l in layers[:i + 1])
        if shared is not None and key in shared:
            data, prov = shared[key]
            continue
        data, prov = merge(data, prov, layer.data, layer.prov)
        if shared is not None:
            shared[key] = data, prov
    return MergedValues(data=data, prov=prov, layers=tuple(l.name for l in layers))


def parse_set(assignments: Sequence[str]) -> Layer:
    """``--set a.b.c=VALUE`` pairs as one layer; VALUE is read as YAML like a value in a
    file (``5`` is an int, ``true`` a bool, ``'5'`` a string, ``{a: 1}`` a mapping,
    ``[1, 2]`` a list, empty is null = delete)."""
    data: dict[str, Any] = {}
    prov = Prov(Origin("--set"), {})
    for text in assignments:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as err:
            # The shell passed bytes that are not UTF-8 (Python keeps them as surrogates).
            shown = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            raise UsageError(f"--set '{shown}': not UTF-8 (byte "
                             f"0x{ord(text[err.start]) & 0xff:02x} at position "
                             f"{err.start + 1}); values must be UTF-8 text") from None
        key, sep, raw = text.partition("=")
        if not sep:
            raise UsageError(f"--set '{text}': expected KEY=VALUE (for example "
                             "services.api-gateway.replicas=5)")
        parts = key.split(".")
        if not key or any(not p.strip() or p != p.strip() for p in parts):
            raise UsageError(f"--set '{text}': bad key path '{key}' (dotted keys, none empty)")
        try:
            value, value_prov = load_text(raw, f"--set {key}") if raw.strip() else (None, None)
        except YAMLInputError as err:
            raise UsageError(f"--set '{text}': {err.message}") from None
        origin = Origin(f"--set {key}")
        node, node_prov = data, prov
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
                assert isinstance(node_prov.children, dict)
                node_prov.children[part] = Prov(origin, {})
            node = child
            kids = node_prov.children
            assert isinstance(kids, dict)
            node_prov = kids[part]
        node[parts[-1]] = value
        assert isinstance(node_prov.children, dict)
        node_prov.children[parts[-1]] = _retag(value_prov, origin) if value_prov else Prov(origin)
    return Layer(name="--set", data=data, prov=prov)


def _retag(prov: Prov, origin: Origin) -> Prov:
    """Provenance of a --set value: every node points at the --set argument."""
    kids = prov.children
    if isinstance(kids, dict):
        return Prov(origin, {k: _retag(v, origin) for k, v in kids.items()})
    if isinstance(kids, list):
        return Prov(origin, [_retag(v, origin) for v in kids])
    return Prov(origin)

