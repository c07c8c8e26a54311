"""Which template files a template can reach: include, import, from-import, extends.

A render of a scope reads its own templates *and* everything they reach, so all of
those are inputs of the scope (:mod:`mwgen.incremental`). References come from
Jinja's ``meta.find_referenced_templates``, followed transitively. A reference
Jinja cannot name statically (``{% include some_variable %}``) or a template that
does not parse reaches every file under ``templates/``: over-approximating costs a
re-render, under-approximating would make ``mwgen render`` call a stale tree fresh.

Parsing needs Jinja, which a no-op render must not import: the answer is remembered
in the user cache under a digest of every template's name and bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Callable, Iterable

from mwgen.cache import cache_dir

#: Stands for "every file under templates/".
EVERYTHING = "*"


def _resolve(name: str) -> str | None:
    """A Jinja template name as a posix path under templates/ (Jinja's own rules)."""
    pieces = []
    for piece in name.split("/"):
        if piece == "..":
            return None  # FileSystemLoader refuses it: the render fails, nothing to hash
        if piece and piece != ".":
            pieces.append(piece)
    return "/".join(pieces) or None


def _references(source: str) -> list[str] | None:
    """Names ``source`` references directly; None when one is dynamic or it does not parse."""
    from jinja2 import Environment, meta
    from jinja2.exceptions import TemplateSyntaxError

    try:
        ast = Environment().parse(source)
    except TemplateSyntaxError:
        return None
    names = []
    for name in meta.find_referenced_templates(ast):
        if name is None:
            return None
        names.append(name)
    return names


def _compute(files: dict[str, bytes], roots: Iterable[str]) -> dict[str, list[str]]:
    direct: dict[str, list[str] | None] = {}
    for name, data in files.items():
        try:
            refs = _references(data.decode("utf-8"))
        except UnicodeDecodeError:
            refs = None
        direct[name] = None if refs is None else \
            [r for r in (_resolve(n) for n in refs) if r is not None]
    out: dict[str, list[str]] = {}
    for root in roots:
        seen, todo, everything = {root}, [root], False
        while todo:
            refs = direct.get(todo.pop(), [])  # a missing file reaches nothing
            if refs is None:
                everything = True
                break
            for ref in refs:
                if ref not in seen:
                    seen.add(ref)
                    todo.append(ref)
        out[root] = [EVERYTHING] if everything else sorted(seen)
    return out


def reach(names: list[str], roots: list[str], digest_of: Callable[[str], bytes],
          read: Callable[[str], bytes]) -> dict[str, list[str]]:
    """Root template name -> every template name it reaches (itself included), or
    ``["*"]`` for everything. ``names`` is every file under templates/; ``digest_of``
    and ``read`` give a name's content digest and bytes (bytes only on a cache miss)."""
    h = hashlib.sha256()
    for name in sorted(names):
        h.update(name.encode() + b"\0" + digest_of(name))
    h.update(b"\0roots\0" + "\0".join(sorted(roots)).encode())
    key = h.hexdigest()
    folder = cache_dir("template-reach")
    if folder is not None:
        try:
            cached = json.loads((folder / key).read_text(encoding="utf-8"))
            if isinstance(cached, dict):
                return cached
        except (OSError, ValueError):
            pass
    out = _compute({n: read(n) for n in names}, roots)
    if folder is not None:
        try:
            tmp = folder / f".{key}.{os.getpid()}"
            tmp.write_text(json.dumps(out), encoding="utf-8")
            tmp.replace(folder / key)
        except OSError:
            pass
    return out
