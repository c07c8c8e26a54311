"""The promotion gates, evaluated offline from values and git history.

* order: a target takes versions only from the environment its values name in
  ``environment.promotion.from`` (dev -> staging -> production);
* soak: the version must have run on the source for the source's
  ``environment.promotion.soak_hours``, counted from the commit that introduced it on
  the current branch (:func:`mwgen.promote.history.introduced`) to now.

A gate is data: passed or not, and one located line saying why. ``--force --reason``
turns a failed gate into a recorded override instead of a refusal.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

from mwgen.errors import Problem
from mwgen.promote.history import introduced
from mwgen.promote.paths import Promotable, get

if TYPE_CHECKING:
    from mwgen.project import Project


def clock() -> float:
    """Now, in seconds since the epoch (tests replace it)."""
    return time.time()


@dataclass(frozen=True)
class Gate:
    name: str  # "order" | "soak"
    passed: bool
    problem: Problem

    def line(self) -> str:
        return self.problem.format()


def _setting(project: Project, env: str, key: str) -> tuple[Any, Problem]:
    """``environment.promotion.KEY`` of ``env`` and a Problem located where it is set."""
    merged = project.values(env=env)
    path = ("environment", "promotion", key)
    where = merged.origin(path)
    return get(merged.data, path), Problem(file=where.file, line=where.line,
                                           column=where.column, path=".".join(path))


def order(project: Project, source: str, target: str) -> Gate:
    declared, at = _setting(project, target, "from")
    if declared == source:
        return Gate("order", True, _with(at, f"{target} takes versions from {source}"))
    why = (f"{target} takes versions from {declared}, not from {source}" if declared
           else f"{target} takes no promotions (it declares no source)")
    return Gate("order", False, _with(at, why))


def soak(project: Project, promotable: Promotable, source: str, regions: Sequence[str],
         service: str, version: str, now: float | None = None) -> Gate:
    hours, at = _setting(project, source, "soak_hours")
    hours = float(hours or 0)
    if hours <= 0:
        return Gate("soak", True, _with(at, f"{source} requires no soak time"))
    since = introduced(project.root, promotable, source, regions, service, version)
    if since is None:
        return Gate("soak", False, _with(
            at, f"{service} {version} is not committed on {source} yet: it needs "
                f"{hours:g} h there after its commit"))
    ran = ((clock() if now is None else now) - since.time) / 3600
    text = (f"{service} {version} has run on {source} for {ran:.1f} h since commit "
            f"{since.short} ({since.when}); {hours:g} h required")
    if ran >= hours:
        return Gate("soak", True, _with(at, text))
    return Gate("soak", False, _with(at, f"{text}, {hours - ran:.1f} h left"))


def _with(at: Problem, message: str) -> Problem:
    return Problem(file=at.file, line=at.line, column=at.column, path=at.path, message=message)
