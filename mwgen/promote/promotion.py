"""Plan a promotion, a rollback or a blue-green switch as edits to value files.

A plan reads effective (layered) values and decides, per target in scope, which file
and line to edit:

* where the target's value is set now, when that file belongs to the target
  (``values/environments/ENV.yaml`` or ``values/targets/ENV/REGION.yaml``);
* otherwise a new key in the environment file, or in the target file when the value
  comes from a region file (which would shadow an environment-level key) or when the
  promotion is a wave (``--region``), so other regions are untouched.

Nothing is written while planning: :mod:`mwgen.promote.apply` checks the plan in a
staged copy of the project (schema, render) before any file changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

from mwgen.errors import InputError, MwgenError, Problem, UsageError, format_path
from mwgen.promote.edit import EditError, check_only, locate, set_scalar
from mwgen.promote.gates import Gate, order, soak
from mwgen.promote.history import history
from mwgen.promote.paths import Promotable, fill, get

if TYPE_CHECKING:
    from mwgen.diff import DiffResult
    from mwgen.project import Project, Target


class PromotionRefused(MwgenError):
    """A gate said no (exit 1); each failed gate is one located line."""


@dataclass(frozen=True)
class Change:
    """One scalar a plan writes: which service, path, old -> new, and where."""

    service: str
    path: tuple[str, ...]
    old: str | None
    new: str
    file: str
    line: int = 0
    column: int = 0
    created: bool = False
    targets: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def to_json(self) -> dict[str, object]:
        return {"service": self.service, "path": format_path(self.path), "old": self.old,
                "new": self.new, "file": self.file, "line": self.line, "column": self.column,
                "created": self.created, "targets": list(self.targets)}


@dataclass
class _Pending:
    """One planned write: the value for ``service``, the old one, the targets it serves."""

    service: str
    value: str
    old: str | None
    targets: list[str] = field(default_factory=list)


@dataclass
class Promotion:
    kind: str  # "promote" | "rollback" | "switch"
    target: str
    source: str | None = None
    regions: tuple[str, ...] = ()  # a wave; () is the whole environment
    versions: dict[str, str] = field(default_factory=dict)  # service -> version (or slot)
    changes: list[Change] = field(default_factory=list)
    files: dict[str, tuple[bytes | None, str]] = field(default_factory=dict)
    gates: list[Gate] = field(default_factory=list)
    reason: str | None = None
    diff: DiffResult | None = None
    approval: str | None = None  # the target's environment.promotion.approval
    requested: str | None = None  # the version asked for (--version, --to-version)

    @property
    def scope(self) -> str:
        return f"{self.target}/{','.join(self.regions)}" if self.regions else self.target

    @property
    def forced(self) -> list[Gate]:
        return [g for g in self.gates if not g.passed]

    @property
    def label(self) -> str:
        """The versions, as one short text: ``v1.5.0`` or ``api-gateway v1.5.0, ...``."""
        distinct = list(dict.fromkeys(self.versions.values()))
        if self.kind == "switch":
            return ", ".join(f"{s} to {v}" for s, v in self.versions.items())
        if len(distinct) == 1 and len(self.versions) > 1:
            return distinct[0]
        return ", ".join(f"{s} {v}" for s, v in self.versions.items())

    @property
    def branch(self) -> str:
        where = "-".join([self.target, *self.regions])
        if self.kind == "switch":
            return "switch-" + "-".join([where, *(f"{s}-{v}" for s, v in self.versions.items())])
        return f"{self.kind}-{where}-" + "-".join(dict.fromkeys(self.versions.values()))

    def commit_message(self) -> str:
        verb = {"promote": f"promote {self.label} to {self.scope}",
                "rollback": f"roll {self.scope} back to {self.label}",
                "switch": f"switch {self.scope} {self.label}"}[self.kind]
        lines = [f"chore({self.kind}): {verb}", ""]
        if self.source:
            lines += [f"From {self.source} to {self.scope}.", ""]
        lines += [f"- {format_path(c.path)}: {c.old} -> {c.new} ({c.where})" for c in self.changes]
        if self.gates:
            lines += ["", "Gates:"]
            lines += [f"- {g.name}: {'passed' if g.passed else 'FORCED'}: {g.problem.message}"
                      for g in self.gates]
        if self.reason is not None and self.forced:
            lines += ["", f"Forced: {', '.join(dict.fromkeys(g.name for g in self.forced))}",
                      f"Reason: {self.reason}"]
        return "\n".join(lines) + "\n"


def _env_file(project: Project, env: str) -> str:
    return project.rel(project.env_file(env))


def check_env(project: Project, env: str) -> list[Target]:
    if env not in project.environments():
        raise InputError(file=_env_file(project, env),
                         message=f"no environment '{env}' (environments: "
                                 f"{', '.join(project.environments())})")
    return [t for t in project.targets() if t.env == env]


def _scope(project: Project, env: str, regions: Sequence[str]) -> list[Target]:
    every = check_env(project, env)
    for region in regions:
        if region not in [t.region for t in every]:
            where = project.values(env=env).origin(("environment", "regions"))
            raise InputError(file=where.file, line=where.line, column=where.column,
                             path="environment.regions",
                             message=f"{env} has no region '{region}' (regions: "
                                     f"{', '.join(t.region for t in every)})")
    return [t for t in every if not regions or t.region in regions]


def services_of(project: Project, promotable: Promotable, env: str, targets: list[Target],
              named: Sequence[str]) -> list[str]:
    known = list(dict.fromkeys(s for t in targets
                               for s in promotable.services(project.values(t).data)))
    for service in named:
        if service not in known:
            where = project.values(env=env).origin(promotable.services_at)
            raise InputError(file=where.file, line=where.line, column=where.column,
                             path=format_path(promotable.services_at),
                             message=f"{env} has no service '{service}' (services: "
                                     f"{', '.join(known)})")
    return list(named) or known


def plan_promote(project: Project, source: str, target: str, *, services: Sequence[str] = (),
                 regions: Sequence[str] = (), version: str | None = None, force: bool = False,
                 reason: str | None = None, now: float | None = None) -> Promotion:
    """What promoting ``source``'s running versions to ``target`` writes (gated)."""
    promotable = Promotable.from_config(project.config)
    sources = check_env(project, source)
    scope = _scope(project, target, regions)
    plan = Promotion("promote", target, source, tuple(regions), reason=reason,
                     requested=version)
    for service in services_of(project, promotable, source, sources, services):
        running = {t: promotable.running(project.values(t).data, service) for t in sources}
        wanted = version or next(iter(running.values()))
        off = [t for t, v in running.items() if v != wanted]
        if off and version and not services and all(v != wanted for v in running.values()):
            continue  # --version without --service: only services that run it
        if off:
            t = off[0]
            where = project.values(t).origin(promotable.running_path(project.values(t).data,
                                                                   service))
            raise InputError(file=where.file, line=where.line, column=where.column,
                             path=format_path(promotable.running_path(
                                 project.values(t).data, service)),
                             message=f"{t} runs {service} {running[t]}, not {wanted}: a "
                                     f"version is on {source} when every region runs it"
                                     + ("" if version else "; name one with --version"))
        plan.versions[service] = str(wanted)
    if not plan.versions:
        where = project.values(env=source).origin(promotable.services_at)
        raise InputError(file=where.file, line=where.line, column=where.column,
                         message=f"no service runs {version} on {source}")
    _write_versions(project, promotable, plan, scope)
    if not plan.changes:
        return plan
    plan.approval = get(project.values(env=target).data, ("environment", "promotion", "approval"))
    plan.gates.append(order(project, source, target))
    plan.gates += [soak(project, promotable, source, [t.region for t in sources], s, v, now)
                   for s, v in plan.versions.items()]
    failed = [g for g in plan.gates if not g.passed]
    if failed and not force:
        hint = " (--force --reason TEXT overrides, and the commit records why)"
        problems = [Problem(**{**g.problem.to_json(), "targets": (),
                               "message": g.problem.message + hint}) for g in failed]
        raise PromotionRefused.many(problems)
    return plan


def plan_rollback(project: Project, target: str, version: str, *,
                  services: Sequence[str] = (), regions: Sequence[str] = ()) -> Promotion:
    """Put ``target`` back on a ``version`` it ran before (from git history)."""
    promotable = Promotable.from_config(project.config)
    scope = _scope(project, target, regions)
    plan = Promotion("rollback", target, None, tuple(regions), requested=version)
    names = services_of(project, promotable, target, scope, services)
    ran = history(project.root, promotable, target, names)
    for service in names:
        versions = list(dict.fromkeys(e.version for e in ran if e.service == service))
        if version in versions:
            plan.versions[service] = version
        elif services:
            data = project.values(scope[0]).data
            where = project.values(scope[0]).origin(promotable.running_path(data, service))
            raise InputError(file=where.file, line=where.line, column=where.column,
                             path=format_path(promotable.running_path(data, service)),
                             message=f"{target} never ran {service} {version} (its history: "
                                     f"{', '.join(versions) or 'none'}); rollback goes back "
                                     "to a version the environment ran")
    if not plan.versions:
        raise InputError(file=_env_file(project, target),
                         message=f"{target} never ran {version} (see mwgen history {target})")
    _write_versions(project, promotable, plan, scope)
    return plan


def plan_switch(project: Project, target: str, *, services: Sequence[str] = (),
                regions: Sequence[str] = ()) -> Promotion:
    """Move traffic of blue-green services to their idle slot (``slot_active``)."""
    promotable = Promotable.from_config(project.config)
    scope = _scope(project, target, regions)
    plan = Promotion("switch", target, None, tuple(regions))
    edits: dict[tuple[str, tuple[str, ...]], _Pending] = {}
    for service in services_of(project, promotable, target, scope, services):
        for t in scope:
            data = project.values(t).data
            slots = promotable.slots(data, service)
            if slots is None:
                if services:
                    where = project.values(t).origin(fill(promotable.version, service))
                    raise InputError(file=where.file, line=where.line, column=where.column,
                                     message=f"{service} is not blue-green in {t} "
                                             "(no active slot and slots): nothing to switch")
                continue
            assert promotable.slot_active is not None
            path = fill(promotable.slot_active, service)
            dest = _destination(project, t, path, bool(regions))
            edits.setdefault((dest, path), _Pending(service, slots[1], slots[0])
                             ).targets.append(t.name)
            plan.versions[service] = slots[1]
    if not edits:
        raise InputError(file=_env_file(project, target),
                         message=f"{target} has no blue-green service to switch")
    _apply(project, plan, edits)
    return plan


def _write_versions(project: Project, promotable: Promotable, plan: Promotion,
                    scope: list[Target]) -> None:
    edits: dict[tuple[str, tuple[str, ...]], _Pending] = {}
    for service, version in plan.versions.items():
        for t in scope:
            data = project.values(t).data
            if service not in promotable.services(data):
                where = project.values(t).origin(promotable.services_at)
                raise InputError(file=where.file, line=where.line, column=where.column,
                                 message=f"{t} has no service '{service}': add it to its "
                                         "values before promoting to it")
            path = promotable.target_path(data, service)
            current = get(data, path)
            if promotable.running(data, service) == version or current == version:
                continue  # already there (or already in the idle slot)
            dest = _destination(project, t, path, bool(plan.regions))
            old = None if current is None else str(current)
            edits.setdefault((dest, path), _Pending(service, version, old)
                             ).targets.append(t.name)
    _apply(project, plan, edits)
    changed = {c.service for c in plan.changes}
    plan.versions = {s: v for s, v in plan.versions.items() if s in changed}


def _destination(project: Project, t: Target, path: tuple[str, ...], wave: bool) -> str:
    """The file (relative) a value of target ``t`` at ``path`` is written to."""
    merged = project.values(t)
    env_file, target_file = _env_file(project, t.env), project.rel(project.target_file(t))
    origin = merged.origin(path).file if get(merged.data, path) is not None else None
    if wave or origin == project.rel(project.region_file(t.region)):
        return target_file
    return origin if origin in (env_file, target_file) else env_file


def _apply(project: Project,
           plan: Promotion,
           edits: dict[tuple[str, tuple[str, ...]], _Pending]
           ) -> None:
    """Make every edit in memory, file by file; check each file changed only there."""
    from mwgen.yamlio import YAMLInputError, decode, load_text

    by_file: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for (rel, path), pending in edits.items():
        by_file.setdefault(rel, []).append((path, pending.value))
    for rel, items in by_file.items():
        path_on_disk = project.root / rel
        raw = path_on_disk.read_bytes() if path_on_disk.is_file() else None
        text = old_text = decode(raw, rel) if raw is not None else ""
        for path, value in items:
            try:
                text = set_scalar(text, path, value).text
            except EditError as err:
                raise InputError(file=rel, line=err.line, column=err.column,
                                 path=format_path(path), message=err.message) from None
        try:
            check_only(old_text, text, rel, dict(items))
            _, prov = load_text(text, rel)
        except EditError as err:
            line, column = locate(old_text, items[0][0])
            raise InputError(file=rel, line=line, column=column, message=err.message) from None
        except YAMLInputError as err:  # a bug in the editor, never the user's input
            raise MwgenError(f"mwgen: internal error: the edit of {rel} does not parse: "
                             f"{err.message}") from None
        plan.files[rel] = (raw, text)
        before = load_text(old_text, rel)[0]
        for path, value in items:
            pending = edits[(rel, path)]
            at = prov.at(path).origin
            plan.changes.append(Change(pending.service, path, pending.old, value, rel, at.line,
                                       at.column, created=get(before, path) is None,
                                       targets=tuple(pending.targets)))


def require_force_reason(force: bool, reason: str | None) -> None:
    if force and not (reason or "").strip():
        raise UsageError("mwgen: --force needs --reason TEXT (the commit records why)")


__all__ = ["Change", "Promotion", "PromotionRefused", "plan_promote", "plan_rollback",
           "plan_switch", "require_force_reason"]
