"""Per-format escaping of template expressions: the structure-safety mechanism.

Every ``{{ expression }}`` passes through the environment's ``finalize``. For YAML,
JSON and HCL outputs a value is written as one complete scalar (or literal) of that
format, so a string holding ``: ``, a newline, ``#``, quotes, ``${`` or ``{{`` can
never become new keys, documents or blocks. Text the template itself wrote (macro
output, ``to_yaml``/``hcl`` results) is :class:`markupsafe.Markup` and passes as is.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Callable

from jinja2 import Undefined
from markupsafe import Markup

import yaml

FORMATS = ("yaml", "json", "hcl", "text")

_YAML_PLAIN = re.compile(r"^[A-Za-z0-9_/.$][A-Za-z0-9_./@+=:*()$~^-]*$")
_YAML_RESOLVER = yaml.resolver.Resolver()
_HCL_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
#: Characters JSON leaves raw that YAML refuses (DEL, C1 controls, U+FFFE) or reads as
#: line breaks inside a quoted scalar (NEL, U+2028, U+2029): written as \u escapes.
_YAML_NONPRINTABLE = re.compile("[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd"
                                "\U00010000-\U0010ffff]")


def _yaml_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


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
def yaml_scalar(value: Any) -> str:
    """``value`` as one YAML flow value that reads back as exactly ``value``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if isinstance(value, str):
        if (_YAML_PLAIN.match(value) and not value.endswith(":") and "::" not in value
                and _YAML_RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
                == "tag:yaml.org,2002:str"):
            return value
        return _YAML_NONPRINTABLE.sub(_yaml_escape, json.dumps(value, ensure_ascii=False))
    # Mappings and lists written without to_yaml: JSON is valid YAML flow style.
    return json.dumps(plain_data(value), ensure_ascii=False, separators=(", ", ": "))


# -- HCL ------------------------------------------------------------------------
_HCL_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def hcl_string(text: str) -> str:
    """A quoted HCL string; template sequences ``${`` and ``%{`` are escaped.

    They are written ``\\u0024{`` and ``\\u0025{`` rather than HCL's doubled ``$${`` /
    ``%%{``: Terraform reads both as the literal text, but python-hcl2 (our parse check)
    rejects ``"$${"`` when no ``}`` follows, which would fail a render on a valid value.
    """
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


def hcl_literal(value: Any, indent: int = 0) -> str:
    """Any value as an HCL expression: strings, numbers, bools, null, lists, maps."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"HCL has no literal for {value!r}")
        return json.dumps(value)
    if isinstance(value, str):
        return hcl_string(value)
    pad = "  " * (indent + 1)
    end = "  " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        lines = []
        for key, item in value.items():
            key = str(key)
            name = key if _HCL_IDENT.match(key) else hcl_string(key)
            lines.append(f"{pad}{name} = {hcl_literal(item, indent + 1)}")
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
def json_value(value: Any) -> str:
    return json.dumps(plain_data(value), ensure_ascii=False)


def plain_data(value: Any) -> Any:
    """Plain builtins (dict subclasses, tuples; Undefined fails loudly) for dumping."""
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    if isinstance(value, dict):
        return {str(k): plain_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_data(v) for v in value]
    return value


def text_value(value: Any) -> str:
    return "" if value is None else str(value)


_SCALAR_WRITERS: dict[str, Callable[[Any], str]] = {
    "yaml": yaml_scalar,
    "json": json_value,
    "hcl": hcl_literal,
    "text": text_value,
}


def make_finalize(fmt: str) -> Callable[[Any], Markup]:
    """The ``finalize`` of the environment that renders ``fmt`` outputs."""
    write = _SCALAR_WRITERS[fmt]

    def finalize(value: Any) -> Markup:
        if isinstance(value, Markup):
            return value
        if isinstance(value, Undefined):
            value._fail_with_undefined_error()
        return Markup(write(value))

    return finalize


def quote(value: Any, fmt: str) -> Markup:
    """A double-quoted string in the output's syntax (JSON rules; HCL escapes ``${``)."""
    text = value if isinstance(value, str) else str(value)
    if fmt == "hcl":
        return Markup(hcl_string(text))
    return Markup(_YAML_NONPRINTABLE.sub(_yaml_escape, json.dumps(text, ensure_ascii=False)))
