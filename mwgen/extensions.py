"""Project extensions: one Python file named by ``extensions:`` in ``mwgen.yaml``.

The file is the project's own code, like Kapitan's ``lib/jinja2_filters.py``. It may
define three module-level names, each optional:

``FILTERS``  a dict of Jinja filter name -> callable, added to the render environment;
``TESTS``    a dict of Jinja test name -> callable;
``RULES``    a list of lint rules (see :mod:`mwgen.lint`), run like mwgen's own.

Anything wrong with the file (missing, a syntax error, an exception at import, a name of
the wrong shape) is one located :class:`~mwgen.errors.InputError`, never a traceback.
The module is loaded once per process and per file content.
"""

from __future__ import annotations

import hashlib
import traceback
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mwgen.errors import InputError


@dataclass(frozen=True)
class Extensions:
    """What a project's extension file provides (empty when it has none)."""

    filters: dict[str, Callable[..., Any]] = field(default_factory=dict)
    tests: dict[str, Callable[..., Any]] = field(default_factory=dict)
    rules: tuple[Any, ...] = ()
    file: str | None = None


NONE = Extensions()
_loaded: dict[tuple[Path, str], Extensions] = {}


def load_extensions(root: Path, rel: str | None) -> Extensions:
    """The extensions in ``root/rel`` (``rel`` as written in ``mwgen.yaml``), or none."""
    if rel is None:
        return NONE
    path = root / rel
    try:
        source = path.read_bytes()
    except OSError as err:
        raise InputError(file="mwgen.yaml", path="extensions",
                         message=f"cannot read {rel}: {err.strerror}") from None
    key = (path.resolve(), hashlib.sha256(source).hexdigest())
    if key not in _loaded:
        _loaded[key] = _load(rel, path, source)
    return _loaded[key]


def _load(rel: str, path: Path, source: bytes) -> Extensions:
    module = types.ModuleType(f"mwgen_project_extensions_{abs(hash(path)):x}")
    module.__file__ = str(path)
    try:
        code = compile(source, str(path), "exec")
        exec(code, module.__dict__)  # noqa: S102 - the project's own, committed code
    except SyntaxError as err:
        raise InputError(file=rel, line=err.lineno or 0, column=err.offset or 0,
                         message=f"syntax error: {err.msg}") from None
    except Exception as err:  # the project's code: any failure is reported where it happened
        line = _line_in(err, str(path))
        raise InputError(file=rel, line=line,
                         message=f"{type(err).__name__} while loading: {err}") from None
    filters = _mapping(module, "FILTERS", rel)
    tests = _mapping(module, "TESTS", rel)
    rules = getattr(module, "RULES", ())
    if not isinstance(rules, (list, tuple)):
        raise InputError(file=rel, message="RULES must be a list of lint rules")
    return Extensions(filters=filters, tests=tests, rules=tuple(rules), file=rel)


def _mapping(module: types.ModuleType, name: str, rel: str) -> dict[str, Callable[..., Any]]:
    value = getattr(module, name, {})
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and callable(v) for k, v in value.items()):
        raise InputError(file=rel, message=f"{name} must be a dict of name -> callable")
    return dict(value)


def _line_in(err: BaseException, filename: str) -> int:
    """The last line of ``filename`` in the traceback of ``err`` (0 when absent)."""
    line = 0
    for frame in traceback.extract_tb(err.__traceback__):
        if frame.filename == filename and frame.lineno:
            line = frame.lineno
    return line
