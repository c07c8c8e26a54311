"""Canonical YAML: how every rendered YAML file is re-emitted.

Block style, sequences indented under their key (as kubectl and the seed write
them), multi-line strings as literal blocks, key order as the template wrote it,
no line folding. Same data in, same bytes out.
"""

from __future__ import annotations

from typing import Any, Iterable

import yaml

_Base: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class CanonicalDumper(yaml.SafeDumper):
    """SafeDumper that indents sequences and writes multi-line strings as blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    if "\n" in data and _literal_ok(data):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


def _literal_ok(text: str) -> bool:
    # A literal block cannot keep trailing spaces on a line or most control bytes.
    return not any(line != line.rstrip(" \t") for line in text.split("\n")) and all(
        ch in "\n\t" or ord(ch) >= 0x20 for ch in text) and not text.startswith((" ", "\t"))


CanonicalDumper.add_representer(str, _represent_str)


def dump_yaml(documents: Iterable[Any]) -> str:
    """Documents as one canonical YAML stream (``---`` between documents)."""
    docs = list(documents)
    text: str = yaml.dump_all(
        docs,
        Dumper=CanonicalDumper,
        default_flow_style=False,
        sort_keys=False,
        allow_unicode=True,
        width=2**31 - 1,
        explicit_start=len(docs) > 1,
    )
    # Separators between documents only, as people write them.
    return text[4:] if text.startswith("---\n") else text
