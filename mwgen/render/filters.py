"""The filters and globals a template author gets: one explicit registry.

Filters that produce text in the output's syntax (``to_yaml``, ``to_json``, ``hcl``,
``quote``, ``raw``) return a :class:`~mwgen.render.escaping.Fragment`, which
``finalize`` writes as is. Filters that reshape template-written text (``indent``,
``upper``...) keep it a fragment; those that would splice a value into it
(``replace``, ``join``, ``format``) refuse. Jinja's HTML filters are refused at
compile time (:data:`REFUSED`).
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
from typing import Any, Callable

from jinja2 import Undefined, pass_environment
from jinja2.environment import Environment
from jinja2.exceptions import TemplateRuntimeError
from jinja2.filters import FILTERS as JINJA_FILTERS

from mwgen.render import escaping
from mwgen.render.escaping import Fragment, MixedText
from mwgen.render.yamlfmt import dump_yaml


class RequiredValueMissing(TemplateRuntimeError):
    """Raised by the ``required`` filter; the engine reports it with the template line."""


def to_yaml(value: Any) -> Fragment:
    """Block-style YAML of a value, without the newline that ends the document
    (indent with ``indent``)."""
    text = dump_yaml([escaping.plain_data(value)], embedded=True)
    return Fragment(text[:-1] if text.endswith("\n") else text)


def to_json(value: Any, indent: int | None = None) -> Fragment:
    return Fragment(escaping.json_dumps(value, indent=indent))


def hcl(value: Any) -> Fragment:
    """Any value as an HCL literal (strings quoted and escaped, lists, maps, null)."""
    return Fragment(escaping.hcl_literal(escaping.plain_data(value)))


@pass_environment
def quote(env: Environment, value: Any) -> Fragment:
    return escaping.quote(value, getattr(env, "mwgen_format", "yaml"))


def raw(value: Any) -> Fragment:
    """Opt out of escaping: the author vouches that ``value`` is safe text."""
    return Fragment(escaping.text_value(value))


def b64encode(value: Any) -> str:
    data = value if isinstance(value, bytes) else str(value).encode("utf-8")
    return base64.b64encode(data).decode("ascii")


def sha256(value: Any) -> str:
    data = value if isinstance(value, bytes) else str(value).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def cidrsubnet(prefix: str, newbits: int, netnum: int) -> str:
    """Terraform's ``cidrsubnet``: the ``netnum``-th subnet with ``newbits`` more bits."""
    try:
        network = ipaddress.ip_network(str(prefix), strict=False)
    except ValueError as err:
        raise TemplateRuntimeError(f"cidrsubnet: {err}") from None
    newbits, netnum = int(newbits), int(netnum)
    new_prefix = network.prefixlen + newbits
    if newbits < 0 or new_prefix > network.max_prefixlen:
        raise TemplateRuntimeError(
            f"cidrsubnet: cannot extend prefix {network} by {newbits} bits")
    if not 0 <= netnum < 2 ** newbits:
        raise TemplateRuntimeError(
            f"cidrsubnet: prefix extension of {newbits} bits has no netnum {netnum}")
    size = 2 ** (network.max_prefixlen - new_prefix)
    address = int(network.network_address) + netnum * size
    return f"{ipaddress.ip_address(address)}/{new_prefix}"


def required(value: Any, why: str = "a value is required") -> Any:
    """Fail the render with ``why`` when ``value`` is undefined, null or empty."""
    if isinstance(value, Undefined) or value is None or value == "" or value == [] or value == {}:
        raise RequiredValueMissing(f"required: {why}")
    return value


def join(items: Any, sep: str = "") -> str:
    """Values joined into one value (escaped once when written); fragments joined by
    whitespace into a fragment; a fragment among values is refused."""
    items = list(items)
    fragments = sum(isinstance(i, Fragment) for i in items)
    if not fragments:
        return str(sep).join(escaping.text_value(i) for i in items)
    if fragments == len(items) and isinstance(sep, str) and not sep.strip():
        return Fragment(sep.join(items))
    raise MixedText("join")


def indent(text: Any, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    """Jinja's ``indent``; a fragment stays a fragment (the width must be spaces)."""
    if isinstance(width, str) and width.strip(" "):
        if isinstance(text, Fragment):
            raise MixedText("indent with a text width")
    out = JINJA_FILTERS["indent"](str.__str__(text) if isinstance(text, str) else text,
                                  width, first, blank)
    return Fragment(out) if isinstance(text, Fragment) else out


def replace(text: Any, old: Any, new: Any, count: int | None = None) -> str:
    """Jinja's ``replace`` on values; on template-written text it is refused."""
    if isinstance(text, Fragment):
        raise MixedText("replace")
    return JINJA_FILTERS["replace"](_NoAutoescape, text, old, new, count)


class _NoAutoescape:
    """The eval context Jinja's ``replace`` asks about HTML escaping: never."""

    autoescape = False


def trim(text: Any, chars: str | None = None) -> str:
    """Jinja's ``trim``; a fragment trimmed of whitespace stays a fragment (values in
    it are quoted or literal blocks without edge blanks, so only layout goes)."""
    if isinstance(text, Fragment):
        if chars is not None:
            raise MixedText("trim with characters")
        return Fragment(str.strip(text))
    return JINJA_FILTERS["trim"](text, chars)


def _values_only(name: str) -> Callable[..., Any]:
    """Jinja's filter ``name`` for values; on template-written text it is refused: it
    would rewrite the escapes of the values inside (an escaped newline upper-cased
    is YAML's escape for NEL)."""
    jinja_filter = JINJA_FILTERS[name]

    def on_values(text: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(text, Fragment):
            raise MixedText(name)
        return jinja_filter(text, *args, **kwargs)

    on_values.__name__ = name
    return on_values


#: Jinja filters that have no place here, and what to use instead. Using one is a
#: compile-time error with the template line.
REFUSED: dict[str, str] = {
    "e": "HTML escaping has no place in YAML, HCL or JSON; every {{ }} is escaped "
         "for the output format already",
    "escape": "HTML escaping has no place in YAML, HCL or JSON; every {{ }} is escaped "
              "for the output format already",
    "forceescape": "HTML escaping has no place in YAML, HCL or JSON",
    "safe": "it marks text as HTML-safe; use raw to write text you built yourself",
    "urlize": "it writes HTML links",
    "xmlattr": "it writes HTML attributes",
    "striptags": "it is an HTML filter",
    "tojson": "it is HTML-safe JSON; use to_json",
}


FILTERS: dict[str, Callable[..., Any]] = {
    **{name: _values_only(name) for name in ("upper", "lower", "title", "capitalize",
                                            "center", "truncate", "wordwrap")},
    "trim": trim,
    "indent": indent,
    "replace": replace,
    "to_yaml": to_yaml,
    "to_json": to_json,
    "hcl": hcl,
    "quote": quote,
    "raw": raw,
    "b64encode": b64encode,
    "sha256": sha256,
    "cidrsubnet": cidrsubnet,
    "required": required,
    "join": join,
}

GLOBALS: dict[str, Any] = {
    "cidrsubnet": cidrsubnet,
}
