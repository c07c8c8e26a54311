"""Per-format escaping of template expressions: the structure-safety mechanism.

Two kinds of text meet in a template. *Fragments* are text the template itself wrote
in the output's own syntax: its literal text, a macro's or ``{% set %}`` block's
output, ``to_yaml``/``to_json``/``hcl``/``quote``/``raw`` results. Everything else is
a *value*, and every ``{{ expression }}`` writes a value as one complete scalar of the
output format (a YAML scalar, an HCL string, a JSON value), so a string holding
``: ``, a newline, ``#``, quotes, ``${`` or ``{{`` can never become new keys,
documents or blocks. A fragment joined with a value (``~``, ``+``, ``%``,
``format``, ``join``, ``replace``) has no safe meaning and is refused: the value
would land in YAML/HCL/JSON text unescaped.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from jinja2 import Undefined
from jinja2.exceptions import TemplateRuntimeError

from mwgen.render.yamlplain import is_string_everywhere

FORMATS = ("yaml", "json", "hcl", "text")

_YAML_PLAIN = re.compile(r"[A-Za-z0-9_/.$][A-Za-z0-9_./@+=:*()$~^-]*")
_HCL_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
#: Words an HCL object key may not be written bare as: ``{ for = 1 }`` starts a
#: for expression, ``{ in = 1 }``/``if``/``endfor``... confuse Terraform's parser, and
#: ``true``/``false``/``null`` are literals, not names.
HCL_KEYWORDS = frozenset({"for", "in", "if", "else", "endif", "endfor", "true", "false",
                          "null"})
#: Characters JSON leaves raw that YAML refuses (DEL, C1 controls, U+FFFE) or reads as
#: line breaks inside a quoted scalar (NEL, U+2028, U+2029): written as \u escapes.
_YAML_NONPRINTABLE = re.compile("[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd"
                                "\U00010000-\U0010ffff]")


class Fragment(str):
    """Text the template wrote in the output's own syntax: written as is.

    Joining it with anything that is not a fragment is refused (:class:`MixedText`);
    other ``str`` operations give plain strings, which are then escaped as values.
    """

    __slots__ = ()

    def __add__(self, other: Any) -> Fragment:
        return join_fragments((self, other))

    def __radd__(self, other: Any) -> Fragment:
        return join_fragments((other, self))

    def __mod__(self, args: Any) -> str:
        raise MixedText("'%' / format")

    def format(self, *args: Any, **kwargs: Any) -> str:
        raise MixedText("format")

    def join(self, items: Iterable[Any]) -> str:
        items = list(items)
        if all(isinstance(i, Fragment) for i in items):
            return Fragment(str.join(self, items))
        raise MixedText("join")


class MixedText(TemplateRuntimeError):
    """Template-written text combined with a value: the value would not be escaped."""

    def __init__(self, how: str) -> None:
        super().__init__(
            f"{how} on template-written text (a macro's or {{% set %}} block's output, "
            "to_yaml, to_json, hcl, quote, raw) is refused: a value spliced into it, or "
            "the values already in it, would not stay escaped for the output format; "
            "apply it to the value, and write the value in its own {{ }}")


def join_fragments(parts: Iterable[Any]) -> Fragment:
    """Fragments joined into one; any value among them is refused."""
    parts = tuple(parts)
    if all(isinstance(p, Fragment) for p in parts):
        return Fragment("".join(parts))
    raise MixedText("'~' (or '+')")


def make_concat(fmt: str) -> Callable[[Iterable[Any]], str]:
    """The ``~`` operator of ``fmt`` templates: values join into a value, fragments
    into a fragment; mixing them is refused (text outputs escape nothing, so there it
    is plain joining)."""

    def concat(parts: Iterable[Any]) -> str:
        parts = tuple(parts)
        fragments = sum(isinstance(p, Fragment) for p in parts)
        if not fragments:
            return "".join([p if isinstance(p, str) else str(p) for p in parts])
        if fragments == len(parts):
            return Fragment("".join(parts))
        if fmt == "text":
            return Fragment("".join(str(p) for p in parts))
        raise MixedText("'~'")

    return concat


def format_of(output_path: str) -> str:
    """The output format, from the output file's suffix."""
    lower = output_path.lower()
    if lower.endswith((".yaml", ".yml")):
        return "yaml"
    if lower.endswith(".json"):
        return "json"
    if lower.endswith((".tf", ".tfvars")):
        return "hcl"
    return "text"


# -- YAML -----------------------------------------------------------------------
def _yaml_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def yaml_float(value: float) -> str:
    """A float in the one spelling every YAML reader reads as a float: a '.' in the
    mantissa and a signed exponent (PyYAML reads ``1e-05`` as a string)."""
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    if "." not in mantissa:
        mantissa += ".0"
    if exponent[0] not in "+-":
        exponent = "+" + exponent
    return f"{mantissa}e{exponent}"


#: yaml_string's answers: keys and values repeat across thousands of files.
_YAML_STRINGS: dict[str, str] = {}


def yaml_string(value: str) -> str:
    """``value`` as a YAML scalar: plain when every reader reads it back as this
    string (PyYAML, YAML 1.2, go-yaml v2), double-quoted otherwise."""
    exact = type(value) is str  # a str subclass is answered as before, uncached
    text = _YAML_STRINGS.get(value) if exact else None
    if text is not None:
        return text
    if (_YAML_PLAIN.fullmatch(value) and not value.endswith(":") and "::" not in value
            and value != "..." and is_string_everywhere(value)):  # "..." ends a document
        text = value
    else:
        text = yaml_quoted(value)
    if exact and len(value) <= 256 and len(_YAML_STRINGS) < 100_000:
        _YAML_STRINGS[value] = text
    return text


def yaml_quoted(value: str) -> str:
    """A double-quoted YAML scalar (JSON escapes, plus those YAML needs beyond JSON)."""
    return _YAML_NONPRINTABLE.sub(_yaml_escape, json.dumps(value, ensure_ascii=False))


def yaml_scalar(value: Any) -> str:
    """``value`` as one YAML flow value that reads back as exactly ``value``."""
    if isinstance(value, str):
        return yaml_string(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return yaml_float(value)
    # Mappings and lists written without to_yaml: flow style, strings quoted.
    return _yaml_flow(plain_data(value))


def _yaml_flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{yaml_quoted(str(k))}: {_yaml_flow(v)}"
                               for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_flow(v) for v in value) + "]"
    if isinstance(value, str):
        return yaml_quoted(value)
    if value is None or isinstance(value, (bool, int, float)):
        return yaml_scalar(value)
    raise TypeError(f"cannot write a {type(value).__name__} as YAML")


# -- HCL ------------------------------------------------------------------------
_HCL_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def hcl_string(text: str) -> str:
    """A quoted HCL string; template sequences ``${`` and ``%{`` are escaped.

    They are written ``\\u0024{`` and ``\\u0025{`` rather than HCL's doubled ``$${`` /
    ``%%{``: Terraform reads both as the literal text, but python-hcl2 (our parse check)
    rejects ``"$${"`` when no ``}`` follows, which would fail a render on a valid value.
    Terraform reads every string in Unicode NFC, escapes included, so a string that
    is not NFC cannot be written faithfully and is refused.
    """
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        raise ValueError(f"the string {text[:40]!r} is not in Unicode NFC form, and Terraform "
                         "would read it back normalized (a different string)")
    out = []
    for ch in text:
        if ch in _HCL_ESCAPES:
            out.append(_HCL_ESCAPES[ch])
        elif ord(ch) < 0x20 or ch == "\x7f":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    body = "".join(out).replace("${", "\\u0024{").replace("%{", "\\u0025{")
    return f'"{body}"'


def hcl_key(key: str) -> str:
    """An object key: bare when it is a plain name that is no HCL keyword."""
    return key if _HCL_IDENT.fullmatch(key) and key not in HCL_KEYWORDS else hcl_string(key)


def hcl_literal(value: Any, indent: int = 0) -> str:
    """Any value as an HCL expression: strings, numbers, bools, null, lists, maps."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"HCL has no number {value!r} (not finite)")
        return json.dumps(value)
    if isinstance(value, str):
        return hcl_string(value)
    pad = "  " * (indent + 1)
    end = "  " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        lines = [f"{pad}{hcl_key(str(key))} = {hcl_literal(item, indent + 1)}"
                 for key, item in value.items()]
        return "{\n" + "\n".join(lines) + f"\n{end}}}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        items = [hcl_literal(v, indent + 1) for v in value]
        if all("\n" not in i for i in items) and sum(len(i) + 2 for i in items) < 80:
            return "[" + ", ".join(items) + "]"
        return "[\n" + ",\n".join(f"{pad}{i}" for i in items) + f",\n{end}]"
    raise TypeError(f"cannot write a {type(value).__name__} as HCL")


# -- JSON -----------------------------------------------------------------------
def json_dumps(value: Any, indent: int | None = None) -> str:
    """JSON text of ``value``; NaN and infinities are refused (JSON has neither)."""
    data = plain_data(value)
    try:
        if isinstance(indent, int) and not isinstance(indent, bool) and indent >= 0:
            from mwgen.render.jsonfmt import dumps_indented

            return dumps_indented(data, indent, allow_nan=False)  # json.dumps's bytes
        return json.dumps(data, ensure_ascii=False, indent=indent, allow_nan=False)
    except ValueError:
        raise ValueError("JSON has no NaN or Infinity: a value is not a finite "
                         "number") from None


def json_value(value: Any) -> str:
    return json_dumps(value)


def plain_data(value: Any) -> Any:
    """Plain builtins (dict subclasses, tuples; Undefined fails loudly) for dumping."""
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    if isinstance(value, dict):
        return {str(k): plain_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_data(v) for v in value]
    if isinstance(value, str) and type(value) is not str:
        return str.__str__(value)
    return value


def text_value(value: Any) -> str:
    return "" if value is None else str(value)


_SCALAR_WRITERS: dict[str, Callable[[Any], str]] = {
    "yaml": yaml_scalar,
    "json": json_value,
    "hcl": hcl_literal,
    "text": text_value,
}


def make_finalize(fmt: str) -> Callable[[Any], str]:
    """The ``finalize`` of the environment that renders ``fmt`` outputs: a fragment
    passes, any other value is written as one value of the format."""
    write = _SCALAR_WRITERS[fmt]

    def finalize(value: Any) -> str:
        if isinstance(value, Fragment):
            return value
        if isinstance(value, Undefined):
            value._fail_with_undefined_error()
        return write(value)

    return finalize


def quote(value: Any, fmt: str) -> Fragment:
    """A double-quoted string in the output's syntax (JSON rules; HCL escapes ``${``)."""
    text = str.__str__(value) if isinstance(value, str) else str(value)
    if fmt == "hcl":
        return Fragment(hcl_string(text))
    return Fragment(yaml_quoted(text))
