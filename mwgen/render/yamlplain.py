"""When may a string be written as a plain (unquoted) YAML scalar?

Only when every reader that consumes mwgen's output reads it back as that string:
PyYAML (YAML 1.1, mwgen's own reader and most Python tools), YAML 1.2 core schema
readers (ruamel.yaml, yq, most newer libraries) and go-yaml v2, which is how kubectl
and the Kubernetes API read manifests. Each has its own idea of what a bare ``y``,
``0o17``, ``08`` or ``1e3`` is, so a string is plain only if all three call it a
string; anything else is double-quoted, which every reader reads as a string.

The go-yaml and YAML 1.2 tables below are written from the readers' documented
rules and erring towards "not a string": quoting too often is harmless, too rarely
changes a value's type. ``tests/render/test_readback.py`` checks them against the
real readers.
"""

from __future__ import annotations

import re

import yaml

_PYYAML = yaml.resolver.Resolver()
_STR = "tag:yaml.org,2002:str"

#: First characters after which some reader may resolve a plain scalar as non-string
#: (digits, signs, '.', the initials of bools and nulls, '~', '<<', '=').
AMBIGUOUS_INITIALS = frozenset("+-.0123456789yYnNtTfFoO~<=")

# -- go-yaml v2 (resolve.go): a lookup table, then numbers by the first character -----
_GO_WORDS = frozenset(
    "y Y yes Yes YES true True TRUE on On ON n N no No NO false False FALSE off Off OFF "
    "~ null Null NULL .nan .NaN .NAN .inf .Inf .INF +.inf +.Inf +.INF -.inf -.Inf -.INF "
    "<<".split())
# strconv.ParseInt/ParseUint(s, 0, 64) after removing '_': sign, then 0x/0o/0b, a
# leading-zero octal, or decimal. Out-of-range numbers still count (go-yaml then tries
# them as floats, or they stay strings: either way quoting is right).
_GO_INT = re.compile(r"[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)")
# go-yaml's yamlStyleFloat (leading zeros allowed: "08" is the float 8).
_GO_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
# strconv.ParseFloat on a scalar starting with '.'.
_GO_DOT_FLOAT = re.compile(r"\.[0-9]+(?:[eE][-+]?[0-9]+)?")
# parseTimestamp's quick check (four digits and '-'), then a date-like start.
_GO_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")


def goyaml_v2_is_string(text: str) -> bool:
    """Whether go-yaml v2 reads the plain scalar ``text`` as a string."""
    if text == "" or text in _GO_WORDS:
        return False
    first = text[0]
    if first == ".":
        return _GO_DOT_FLOAT.fullmatch(text) is None
    if first in "+-0123456789":
        if _GO_TIMESTAMP.match(text):
            return False
        plain = text.replace("_", "")
        return not (_GO_INT.fullmatch(plain) or _GO_FLOAT.fullmatch(plain)
                    or re.fullmatch(r"-?0b[01]+", plain))
    return True


# -- YAML 1.2 core schema, as ruamel.yaml applies it (it also allows '_' in numbers) ---
_Y12_WORDS = frozenset("true True TRUE false False FALSE ~ null Null NULL <<".split())
_Y12_NUMBER = re.compile(
    r"[-+]?(?:0b[01_]+|0o?[0-7_]+|[0-9_]+|0x[0-9a-fA-F_]+"  # ints
    r"|[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?"  # 1.5, 1., 1.5e3
    r"|[0-9][0-9_]*[eE][-+]?[0-9]+"  # 1e3
    r"|\.[0-9_]+(?:[eE][-+]?[0-9]+)?"  # .5, .5e3
    r"|\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))")
_Y12_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")


def yaml12_is_string(text: str) -> bool:
    """Whether a YAML 1.2 core-schema reader (ruamel.yaml) reads ``text`` as a string."""
    if text == "" or text in _Y12_WORDS or text in ("=", "!", "&", "*"):
        return False
    return not (_Y12_NUMBER.fullmatch(text) or _Y12_TIMESTAMP.match(text))


def pyyaml_is_string(text: str) -> bool:
    """Whether PyYAML (YAML 1.1 resolver) reads the plain scalar ``text`` as a string."""
    return _PYYAML.resolve(yaml.ScalarNode, text, (True, False)) == _STR


def is_string_everywhere(text: str) -> bool:
    """Whether every reader reads the plain scalar ``text`` as the string ``text``
    (its syntax as a plain scalar is the caller's business)."""
    if text and text[0] not in AMBIGUOUS_INITIALS:
        return True
    return pyyaml_is_string(text) and goyaml_v2_is_string(text) and yaml12_is_string(text)
