"""The filters and globals a template author gets: one explicit registry.

Filters that produce structured text (``to_yaml``, ``to_json``, ``hcl``, ``quote``)
return :class:`Markup` so ``finalize`` does not escape them a second time.
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
from markupsafe import Markup

from mwgen.render import escaping
from mwgen.render.jsonfmt import dumps_indented
from mwgen.render.yamlfmt import dump_yaml


class RequiredValueMissing(TemplateRuntimeError):
    """Raised by the ``required`` filter; the engine reports it with the template line."""


def to_yaml(value: Any) -> Markup:
    """Block-style YAML of a value, without a trailing newline (indent with ``indent``)."""
    return Markup(dump_yaml([escaping.plain_data(value)]).rstrip("\n"))


def to_json(value: Any, indent: int | None = None) -> Markup:
    data = escaping.plain_data(value)
    if isinstance(indent, int) and not isinstance(indent, bool) and indent >= 0:
        return Markup(dumps_indented(data, indent))  # json.dumps's bytes, faster
    return Markup(json.dumps(data, ensure_ascii=False, indent=indent))


def hcl(value: Any) -> Markup:
    """Any value as an HCL literal (strings quoted and escaped, lists, maps, null)."""
    return Markup(escaping.hcl_literal(escaping.plain_data(value)))


@pass_environment
def quote(env: Environment, value: Any) -> Markup:
    return escaping.quote(value, getattr(env, "mwgen_format", "yaml"))


def raw(value: Any) -> Markup:
    """Opt out of escaping: the author vouches that ``value`` is safe text."""
    return Markup(escaping.text_value(value))


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
    """Jinja's ``join`` without HTML escaping: the result is a value, escaped once."""
    return str(sep).join(escaping.text_value(i) for i in items)


FILTERS: dict[str, Callable[..., Any]] = {
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
