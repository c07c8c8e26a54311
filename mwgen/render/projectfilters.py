"""A project's own Jinja filters and tests (``extensions:`` in mwgen.yaml) in the
render environments, guarded so that their failures are located, never tracebacks."""

from __future__ import annotations

import functools
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment
from jinja2.exceptions import TemplateRuntimeError

if TYPE_CHECKING:
    from mwgen.extensions import Extensions


def add_extensions(envs: dict[str, Environment], extensions: Extensions, root: Path) -> None:
    """Add a project's own filters and tests (``extensions:`` in mwgen.yaml) to every
    environment. Each is wrapped so that whatever it raises becomes a template error
    that the engine locates at the template line that called it, naming the line of the
    project file where it failed. mwgen's own filters and tests win a name clash: a
    project cannot silently change what ``to_yaml`` means."""
    source = extensions.file or "extensions"
    paths = {str(root / source), str((root / source).resolve())}
    for kind, table in (("filter", extensions.filters), ("test", extensions.tests)):
        for name, func in sorted(table.items()):
            wrapped = _guarded(f"{kind} '{name}'", func, source, paths)
            for env in envs.values():
                (env.filters if kind == "filter" else env.tests).setdefault(name, wrapped)


class ExtensionFailed(TemplateRuntimeError):
    """A project filter or test raised; reported at the template line that called it."""


def _guarded(label: str, func: Any, source: str, paths: set[str]) -> Any:
    @functools.wraps(func)  # keeps Jinja's pass_context / pass_environment marks
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except TemplateRuntimeError:
            raise
        except Exception as err:  # noqa: BLE001 - the project's code: any failure is located
            lines = [f.lineno for f in traceback.extract_tb(err.__traceback__)
                     if f.filename in paths and f.lineno]
            where = f"{source}:{lines[-1]}" if lines else source
            raise ExtensionFailed(f"{label} failed at {where}: {type(err).__name__}: {err}"
                                  ) from None
    return call
