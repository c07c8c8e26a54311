"""The Jinja2 environments mwgen renders with, one per output format.

All share one loader confined to ``templates/``; each is sandboxed and has the
``finalize`` that escapes expressions for its format (see :mod:`mwgen.render.sandbox`
and :mod:`mwgen.render.escaping`). Undefined names fail loudly, with "did you mean
...?" from what *was* there.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from jinja2 import Environment, StrictUndefined
from jinja2.exceptions import UndefinedError
from jinja2.utils import missing

from mwgen.render import escaping
from mwgen.render.filters import FILTERS, GLOBALS, REFUSED
from mwgen.render.sandbox import ConfinedLoader, MwgenEnvironment

#: Names every template context has (for "did you mean" on a misspelt top-level name).
CONTEXT_NAMES = ("values", "env", "region", "target", "service", "targets",
                 "environments", "template_path")


class Tree(dict):
    """A read-only view of values that knows its dotted path, for error messages."""

    # An unusual name: Jinja's ``x.attr`` tries attributes before keys, and values
    # may well have a key called ``path``.
    __slots__ = ("_mwgen_path",)

    def __init__(self, data: dict[str, Any], path: str) -> None:
        super().__init__(data)
        self._mwgen_path = path


def as_tree(value: Any, path: str, shared: dict[tuple[int, str], Any] | None = None) -> Any:
    """Wrap nested mappings as :class:`Tree` so errors can name them.

    With ``shared``, a mapping met again at the same path (targets share the subtrees
    no upper layer changes) is wrapped once: one Tree in every target's context."""
    if isinstance(value, dict):
        key = (id(value), path)
        if shared is not None:
            hit = shared.get(key)
            if hit is not None and hit[0] is value:  # holding value keeps its id unique
                return hit[1]
        tree = Tree({k: as_tree(v, f"{path}.{k}" if path else str(k), shared)
                     for k, v in value.items()}, path)
        if shared is not None:
            shared[key] = (value, tree)
        return tree
    if isinstance(value, list):
        return [as_tree(v, f"{path}[{i}]", shared) for i, v in enumerate(value)]
    return value


class Entry:
    """A target or environment in the context: attributes, not dict keys, so that
    ``t.values`` is the values and not ``dict.values``."""

    __slots__ = ("name", "env", "region", "values", "targets")
    name: str
    env: str
    region: str
    values: Any
    targets: Any

    def __init__(self, **fields: Any) -> None:
        for slot in self.__slots__:
            setattr(self, slot, fields.get(slot, ""))

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    def __repr__(self) -> str:
        return f"<{self.name}>"


class MwgenUndefined(StrictUndefined):
    """StrictUndefined whose message names the object and suggests a close key."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        name = self._undefined_name
        obj = self._undefined_obj
        if self._undefined_hint or name is None:
            return super()._undefined_message
        if obj is missing:
            close = difflib.get_close_matches(
                str(name), [n for n in CONTEXT_NAMES if n != name], n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            return f"'{name}' is undefined{hint}"
        label = f"'{obj._mwgen_path}'" if isinstance(obj, Tree) and obj._mwgen_path else (
            f"'{type(obj).__name__} object'")
        text = f"{label} has no attribute '{name}'"
        if isinstance(obj, dict):
            close = difflib.get_close_matches(str(name), [str(k) for k in obj], n=1, cutoff=0.6)
            if close:
                text += f" (did you mean '{close[0]}'?)"
        return text


def make_environments(templates_dir: Path) -> dict[str, Environment]:
    """One environment per output format, sharing loader and compiled-template cache."""
    loader = ConfinedLoader(templates_dir)
    envs: dict[str, Environment] = {}
    for fmt in escaping.FORMATS:
        env = MwgenEnvironment(
            fmt,
            REFUSED,
            loader=loader,
            undefined=MwgenUndefined,
            keep_trailing_newline=True,
            # Jinja's own whitespace defaults: least surprise for template authors.
            auto_reload=False,
            cache_size=-1,
        )
        for name in REFUSED:
            env.filters.pop(name, None)
        env.filters.update(FILTERS)
        env.globals.update(GLOBALS)
        envs[fmt] = env
    return envs


__all__ = ["make_environments", "as_tree", "Tree", "MwgenUndefined", "UndefinedError"]
