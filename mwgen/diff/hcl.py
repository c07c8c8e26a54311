"""Terraform output diffed per resource address (``module.vpc.aws_subnet.public``).

A plan reviewer thinks in addresses, not lines: which resources, data sources,
modules, variables and outputs appear, disappear or change, and which of their
attributes. python-hcl2 parses each side, through :func:`mwgen.hcl.loads`, so a
comment is never an address and a comment-only edit is no change (python-hcl2 8
reports comments as data, 7 does not). Blocks are keyed by the address Terraform
would give them, and a ``.tfvars`` file by ``var.NAME`` per value it sets. A file
under ``.../modules/NAME/`` is module ``NAME``, so its resources are addressed
``module.NAME.TYPE.NAME``.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from mwgen.diff.semantic import DocDiff, Expr, Unparsable, diff_keyed

_META = "__is_block__"


def _clean(value: Any) -> Any:
    """python-hcl2 output made readable: quoted strings unquoted, ``${expr}`` as an
    :class:`Expr`, its block markers dropped."""
    if isinstance(value, dict):
        return {_label(k): _clean(v) for k, v in value.items() if k != _META}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, str):
        if len(value) >= 2 and value.startswith('"') and value.endswith('"'):
            return value[1:-1]
        if value.startswith("${") and value.endswith("}"):
            return Expr(value[2:-1])
        return Expr(value)
    return value


def _label(key: str) -> str:
    return key[1:-1] if len(key) >= 2 and key.startswith('"') and key.endswith('"') else key


def module_prefix(path: str) -> str:
    """``module.vpc.`` for ``terraform/modules/vpc/main.tf``; '' for a root module."""
    parts = PurePosixPath(path).parts
    for i, part in enumerate(parts[:-2]):
        if part == "modules":
            return f"module.{parts[i + 1]}."
    return ""


def addresses(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Every block of a parsed file by its Terraform address."""
    out: dict[str, Any] = {}

    def put(address: str, body: Any) -> None:
        key, n = prefix + address, 2
        while key in out:
            key, n = f"{prefix}{address} #{n}", n + 1
        out[key] = body

    for kind, blocks in data.items():
        for block in blocks if isinstance(blocks, list) else [blocks]:
            if not isinstance(block, dict):
                continue
            if kind in ("resource", "data"):
                for rtype, named in block.items():
                    for name, body in (named.items() if isinstance(named, dict) else []):
                        head = "data." if kind == "data" else ""
                        put(f"{head}{_label(rtype)}.{_label(name)}", _clean(body))
            elif kind in ("module", "variable", "output", "provider"):
                short = {"variable": "var"}.get(kind, kind)
                for name, body in block.items():
                    if name != _META:
                        put(f"{short}.{_label(name)}", _clean(body))
            elif kind == "locals":
                for name, body in block.items():
                    if name != _META:
                        put(f"local.{name}", _clean(body))
            else:  # terraform { ... } and anything newer
                put(kind, _clean(block))
    return out


def parse_addresses(text: str, path: str, shown: str = "") -> dict[str, Any]:
    from mwgen.hcl import loads

    try:
        data = loads(text)
    except Exception as err:  # lark raises many types; all mean "does not parse"
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise Unparsable(f"{shown or 'output/' + path} does not parse as HCL2: {first}") from None
    if path.endswith(".tfvars"):  # top-level attributes that set the root's variables
        return {f"var.{name}": _clean(value) for name, value in data.items()}
    return addresses(data, module_prefix(path))


def diff_hcl(old_text: str, new_text: str, path: str, *, shown: str = "") -> list[DocDiff]:
    """Added, removed and changed addresses, with the attributes that changed."""
    return diff_keyed(parse_addresses(old_text, path, shown),
                      parse_addresses(new_text, path, shown))
