"""Canonical YAML: how every rendered YAML file is re-emitted.

Block style, sequences indented under their key (as kubectl and the seed write them),
multi-line strings as literal blocks, key order as the template wrote it, no line
folding; a string is plain when it reads back as the same string and double-quoted
(JSON escapes) otherwise. Same data in, same bytes out.

A small emitter of our own instead of PyYAML's: the pure-Python emitter was a third
of a full render's time, and libyaml's cannot indent sequences.

That the emitter never changes meaning is proven by property tests (hypothesis data with
hostile strings and every number kind, read back by PyYAML, a YAML 1.2 reader and
go-yaml) rather than re-checked on every file: parsing each emitted stream back was
40% of a render's time. ``MWGEN_SELF_CHECK=1`` turns the per-file read-back back on
(the test suite runs with it, so every render in the suite is checked).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable
from typing import Any

import yaml

from mwgen.errors import EmitError
from mwgen.render.escaping import yaml_scalar
from mwgen.yamlio import read_back

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# What a literal block cannot carry as is: control characters other than tab and
# newline, DEL, C1 controls, line/paragraph separators, a BOM; and trailing blanks.
_NOT_LITERAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]|[ \t]\n|[ \t]$")


#: Longest implicit ("simple") key YAML readers accept is 1024 characters.
_SIMPLE_KEY_MAX = 1000


def _literal_ok(text: str, embedded: bool) -> bool:
    # Embedded in a template, a "|+" block would keep the blank lines that follow it.
    if embedded and text.endswith("\n\n"):
        return False
    return ("\n" in text and not text.startswith((" ", "\t", "\n"))
            and _NOT_LITERAL.search(text) is None)


def _literal(text: str, indent: int) -> list[str]:
    if text.endswith("\n\n"):
        head, body = "|+", text[:-1]
    elif text.endswith("\n"):
        head, body = "|", text[:-1]
    else:
        head, body = "|-", text
    pad = " " * indent
    return [head] + [pad + line if line else "" for line in body.split("\n")]


def _block(value: Any, indent: int, out: list[str], embedded: bool) -> None:
    """Append the lines of a non-empty mapping or sequence at ``indent``."""
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            text = yaml_scalar(str(key))
            if len(text) <= _SIMPLE_KEY_MAX:
                _entry(f"{pad}{text}:", item, indent, out, embedded)
            else:  # YAML readers refuse longer implicit keys: an explicit "? key"
                out.append(f"{pad}? {text}")
                _entry(f"{pad}:", item, indent, out, embedded)
    else:
        for item in value:
            start = len(out)
            if isinstance(item, (dict, list)) and item:
                _block(item, indent + 2, out, embedded)
                out[start] = f"{pad}- {out[start][indent + 2:]}"
            else:
                _entry(f"{pad}-", item, indent, out, embedded)


def _entry(prefix: str, item: Any, indent: int, out: list[str], embedded: bool) -> None:
    if isinstance(item, (dict, list)) and item:
        out.append(prefix)
        _block(item, indent + 2, out, embedded)
    elif isinstance(item, str) and _literal_ok(item, embedded):
        lines = _literal(item, indent + 2)
        out.append(f"{prefix} {lines[0]}")
        out.extend(lines[1:])
    elif isinstance(item, dict):
        out.append(f"{prefix} {{}}")
    elif isinstance(item, list):
        out.append(f"{prefix} []")
    else:
        out.append(f"{prefix} {yaml_scalar(item)}")


#: Set to ``1`` to parse every emitted stream back and compare it with its data.
SELF_CHECK_ENV = "MWGEN_SELF_CHECK"


def self_check() -> bool:
    """Whether emitted YAML is read back and compared (``MWGEN_SELF_CHECK=1``)."""
    return os.environ.get(SELF_CHECK_ENV) == "1"


def dump_yaml(documents: Iterable[Any], *, embedded: bool = False,
              check: bool | None = None) -> str:
    """Documents as one canonical YAML stream (``---`` between documents).

    ``embedded``: the text goes into a template (``to_yaml``), where lines may follow
    it, so no "keep" literal block (``|+``) is used. ``check`` (default: :func:`self_check`)
    reads the text back and raises :class:`EmitError` unless it is exactly ``documents``."""
    docs = list(documents)
    out: list[str] = []
    for i, doc in enumerate(docs):
        if i:
            out.append("---")
        if isinstance(doc, (dict, list)) and doc:
            _block(doc, 0, out, embedded)
        elif isinstance(doc, str) and _literal_ok(doc, embedded):
            out.extend(_literal(doc, 2))
        else:
            out.append("{}" if doc == {} else "[]" if doc == [] else yaml_scalar(doc))
    text = "\n".join(out) + "\n"
    if not (self_check() if check is None else check):
        return text
    back = read_back(text)  # what yaml.load_all(text, CSafeLoader) reads, faster
    # Not ``back != docs``: Python calls 1 == 1.0 == True and dicts equal in any key order.
    if not _same(back, docs):
        raise EmitError(message="canonical YAML does not read back as its data")
    return text


def _same(a: Any, b: Any) -> bool:
    """Equal data, where NaN equals NaN and a float never equals an int or bool."""
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return bool(a == b)
