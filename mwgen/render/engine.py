"""Render a project: plan the jobs, render each, check its output.

Nothing here touches ``output/``: the result is a mapping of output paths to bytes
that :mod:`mwgen.output` compares (``mwgen diff``), or each file goes to a ``sink``
as soon as it is rendered, in plan order, for :func:`mwgen.output.write_stream` to
stage (``mwgen render``), so a render never holds the whole tree in memory. With
forked ``-j`` workers and a :class:`SplitSink` (the writer is one), the sink's own
``stage`` runs in the worker that rendered the file, and its ``record`` here.
"""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from jinja2 import TemplateNotFound, TemplateSyntaxError
from jinja2.exceptions import TemplateError as JinjaTemplateError

from mwgen import resultcache
from mwgen.errors import (
    InputError,
    MwgenError,
    Problem,
    TemplateError,
    ValidationFailed,
    format_path,
)
from mwgen.render.discovery import TemplateSpec, discover
from mwgen.render.environment import Entry, as_tree, make_environments
from mwgen.render.escaping import format_of
from mwgen.render.formats import OutputInvalid, canonicalise
from mwgen.yamlio import Origin

if TYPE_CHECKING:
    from jinja2 import Environment

    from mwgen.project import Project, Target

_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True, slots=True)
class Job:
    """One template rendered for one scope instance."""

    spec: TemplateSpec
    output: str  # path relative to output/
    scope: str  # "global", "env:ENV" or "target:ENV/REGION": what a -t render owns
    env: str = ""
    region: str = ""
    service: str = ""


@dataclass(frozen=True, slots=True)
class RenderedFile:
    path: str  # relative to output/
    content: bytes
    template: str  # templates/...
    scope: str


@runtime_checkable
class SplitSink(Protocol):
    """A sink whose work per file can run in the forked worker that rendered the file:
    :meth:`stage` there (its small result is sent back), :meth:`record` in the
    render's process, in plan order, for every staged file, a problem or not.
    :meth:`prepare` runs in the render's process before workers are forked; calling
    the sink is ``record(stage(file))``. The output writer is one: with ``-j N`` each
    worker writes the temp files of what it renders, so file creation, a large part of
    a render, is not left to one process."""

    def __call__(self, rendered: RenderedFile) -> None: ...

    def prepare(self) -> None: ...

    def stage(self, rendered: RenderedFile) -> Any: ...

    def record(self, staged: Any) -> None: ...


@dataclass
class RenderResult:
    files: dict[str, RenderedFile] = field(default_factory=dict)
    scopes: set[str] = field(default_factory=set)  # scopes this render is authoritative for


def _segment(kind: str, value: str, origin: Origin, path: str = "") -> str:
    """``value`` if it is safe as one output path segment; else an error located where
    the name was written (the values schema usually catches it first)."""
    if not _SAFE_SEGMENT.match(value) or value in (".", ".."):
        raise InputError(file=origin.file, line=origin.line, column=origin.column, path=path,
                         message=f"{kind} name {value!r} cannot be used as a path segment "
                                 "(letters, digits, '.', '_', '-'; not starting with '.')")
    return value


class Renderer:
    """Renders a project's templates; shares values and compiled templates across jobs."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.output_display = Path(project.config.output).as_posix()  # as users see it
        self.envs: dict[str, Environment] = make_environments(project.templates_dir)
        if project.config.extensions:
            from mwgen.extensions import load_extensions
            from mwgen.render.projectfilters import add_extensions

            add_extensions(self.envs, load_extensions(project.root, project.config.extensions),
                           project.root)
        from mwgen.render.bccache import attach_bytecode_cache

        attach_bytecode_cache(self.envs)  # compiled templates kept between runs
        self._trees: dict[Any, Any] = {}
        self._shared: dict[tuple[int, str], Any] = {}  # one Tree per shared subtree

    # -- planning -------------------------------------------------------------
    def plan(self, targets: Sequence[Target]) -> tuple[list[Job], set[str]]:
        """All jobs for ``targets`` (plus global templates and their environments)."""
        specs = discover(self.project.templates_dir)
        if not specs:
            raise InputError(file=self.project.rel(self.project.templates_dir) + "/",
                             message="no templates: nothing to render (a template is a "
                                     "*.j2 file outside folders starting with '_')")
        envs = list(dict.fromkeys(t.env for t in targets))
        jobs: list[Job] = []
        for spec in specs:
            if spec.scope == "global":
                jobs.append(Job(spec, spec.output_path(), "global"))
            elif spec.scope == "env":
                for env in envs:
                    _segment("environment", env, self._file_origin(self.project.env_file(env)))
                    jobs.append(Job(spec, spec.output_path(env), f"env:{env}", env))
            else:
                for t in targets:
                    _segment("environment", t.env,
                             self._file_origin(self.project.env_file(t.env)))
                    _segment("region", t.region,
                             self._file_origin(self.project.region_file(t.region)))
                    if spec.scope == "target":
                        jobs.append(Job(spec, spec.output_path(t.env, t.region),
                                        f"target:{t.name}", t.env, t.region))
                        continue
                    merged = self.project.values(t)
                    scope = f"target:{t.name}"  # one string for all its jobs, not one each
                    for name in merged.data.get("services") or {}:
                        _segment("service", str(name), merged.origin(("services", name)),
                                 format_path(("services", name)))
                        jobs.append(Job(spec, spec.output_path(t.env, t.region, name),
                                        scope, t.env, t.region, name))
        seen: dict[str, Job] = {}
        for job in jobs:
            if job.output in seen and seen[job.output] != job:
                other = seen[job.output].spec.display
                raise TemplateError(file=job.spec.display,
                                    message=f"writes output/{job.output}, as {other} does")
            seen[job.output] = job
        scopes = {"global"} | {f"env:{e}" for e in envs} | {f"target:{t.name}" for t in targets}
        return jobs, scopes

    def _file_origin(self, path: Path) -> Origin:
        return Origin(self.project.rel(path))

    # -- context --------------------------------------------------------------
    def _tree(self, key: Any, build: Any) -> Any:
        if key not in self._trees:
            self._trees[key] = build()
        return self._trees[key]

    def _target_entry(self, t: Target) -> Entry:
        return self._tree(("entry", t), lambda: Entry(
            name=t.name, env=t.env, region=t.region,
            values=as_tree(self.project.values(t).data, "values", self._shared)))

    def _env_entry(self, env: str) -> Entry:
        return self._tree(("env", env), lambda: Entry(
            name=env, env=env,
            values=as_tree(self.project.values(env=env).data, "values", self._shared),
            targets=[self._target_entry(t) for t in self.project.targets() if t.env == env]))

    def context(self, job: Job) -> dict[str, Any]:
        all_targets = self.project.targets()
        ctx: dict[str, Any] = {"template_path": job.spec.display}
        if job.spec.scope == "global":
            ctx["values"] = self._tree("defaults", lambda: as_tree(
                self.project.values().data, "values", self._shared))
            ctx["targets"] = [self._target_entry(t) for t in all_targets]
            ctx["environments"] = [self._env_entry(e) for e in
                                   dict.fromkeys(t.env for t in all_targets)]
            return ctx
        env_entry = self._env_entry(job.env)
        ctx["env"] = job.env
        ctx["environments"] = [env_entry]
        if job.spec.scope == "env":
            ctx["values"] = env_entry.values
            ctx["targets"] = env_entry.targets
            return ctx
        target = next(t for t in all_targets if (t.env, t.region) == (job.env, job.region))
        entry = self._target_entry(target)
        ctx.update(region=job.region, target=target.name, values=entry.values,
                   targets=[entry])
        if job.service:
            ctx["service"] = self._service_tree(entry.values["services"][job.service],
                                                job.service)
        return ctx

    def _service_tree(self, values: Any, name: str) -> Any:
        """The ``service`` of a service's jobs. Targets share the tree of a service no
        upper layer changed (see :func:`as_tree`), so they share this one too: one per
        distinct service, not one per target and service (80 MiB at 2,000 services)."""
        key = ("service", id(values), name)
        hit = self._trees.get(key)
        if hit is None or hit[0] is not values:  # holding values keeps its id unique
            hit = self._trees[key] = (values, as_tree({**values, "name": name},
                                                      f"services.{name}"))
        return hit[1]

    def warm(self, jobs: Sequence[Job]) -> None:
        """Compile every template and build every context before forking workers.

        A template or value mistake is left for the job itself to report, located;
        anything else (a bug) surfaces here.
        """
        for job in jobs:
            try:
                self.envs[format_of(job.output)].get_template(job.spec.name)
                self.context(job)
            except (JinjaTemplateError, MwgenError):
                pass

    # -- rendering ------------------------------------------------------------
    def render_job(self, job: Job) -> RenderedFile:
        fmt = format_of(job.output)
        display = job.spec.display
        env = self.envs[fmt]
        try:
            template = env.get_template(job.spec.name)
            env.mwgen_reset()  # type: ignore[attr-defined]
            text = template.render(self.context(job))
        except TemplateSyntaxError as err:
            raise TemplateError(file=_display(err.filename, self.project, display),
                                line=err.lineno or 0, message=f"syntax error: {err.message}"
                                ) from None
        except TemplateNotFound as err:
            file, line = _locate(err, self.project, display)
            raise TemplateError(file=file, line=line,
                                message=f"template not found: {err.name}") from None
        except RecursionError:
            raise TemplateError(file=display, message="recursion too deep: a template or macro "
                                "that includes or calls itself?") from None
        except MemoryError as err:
            file, line = _locate(err, self.project, display)
            raise TemplateError(file=file, line=line, message="out of memory rendering this "
                                "template (a huge string or list?)") from None
        except (JinjaTemplateError, ArithmeticError, TypeError, ValueError, KeyError,
                AttributeError, IndexError) as err:
            file, line = _locate(err, self.project, display)
            message = getattr(err, "message", None) or str(err) or type(err).__name__
            raise TemplateError(file=file, line=line,
                                message=message + self._scope_hint(job, message)) from None
        try:
            content = canonicalise(fmt, text, display)
        except OutputInvalid as err:
            where = f"{self.output_display}/{job.output}" + (f":{err.line}" if err.line else "")
            line = _template_line(template.filename, text, err.line) if fmt == "hcl" else 0
            raise MwgenError(err.message, problems=[Problem(file=display, line=line,
                                                            output=where,
                                                            message=err.message)]) from None
        return RenderedFile(job.output, content.encode("utf-8"), display, job.scope)

    def _scope_hint(self, job: Job, message: str) -> str:
        """A per-environment template that reaches for what only targets have (``region``,
        or a key that region or target files set) is told why it is not there."""
        if job.spec.scope != "env":
            return ""
        match = _MISSING.match(message)
        if match is None:
            return ""
        if match["top"] is None:
            parts = match["obj"].split(".")
            if parts[0] != "values":
                return ""
            wanted = parts[1:] + [match["name"]]
            if not any(_has(self.project.values(t).data, wanted)
                       for t in self.project.targets() if t.env == job.env):
                return ""
        return (" (this template renders per environment; region values exist only in "
                "templates under {region}/, or through `targets`)")

    def render_jobs(self, jobs: Sequence[Job],
                    progress: Callable[[int, int], None] | None = None,
                    sink: Callable[[RenderedFile], None] | None = None
                    ) -> tuple[list[RenderedFile], list[Problem]]:
        """Render ``jobs`` in order: every problem is collected; the files are returned,
        or with ``sink`` each goes to it as soon as it is rendered (and is not kept),
        until the first problem: after it nothing more is passed."""
        try:
            return self._render_jobs(jobs, progress, sink)
        finally:
            resultcache.flush()  # in this process: a worker writes its own

    def _render_jobs(self, jobs: Sequence[Job], progress: Callable[[int, int], None] | None,
                     sink: Callable[[RenderedFile], None] | None
                     ) -> tuple[list[RenderedFile], list[Problem]]:
        files: list[RenderedFile] = []
        problems: list[Problem] = []
        for done, job in enumerate(jobs):
            if progress is not None:
                progress(done, len(jobs))
            try:
                rendered = self.render_job(job)
            except MwgenError as err:
                target = job.scope.split(":", 1)[1] if job.scope.startswith("target:") else ""
                problems.extend(Problem(**{**p.to_json(), "targets": (target,) if target else ()})
                                for p in err.problems or [Problem(file=job.spec.display,
                                                                  message=err.message)])
                continue
            if sink is None:
                files.append(rendered)
            elif not problems:
                sink(rendered)
        return files, problems


_MISSING = re.compile(r"^(?:'(?P<obj>[\w.-]+)' has no attribute '(?P<name>[^']+)'"
                      r"|'(?P<top>region|target|service)' is undefined)")


def _has(data: Any, path: list[str]) -> bool:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return False
        data = data[key]
    return True


def _template_line(filename: str | None, rendered: str, line: int) -> int:
    """The template line that wrote output line ``line`` (HCL errors), 0 if unsure."""
    from mwgen.render.sourcemap import template_line

    try:
        source = Path(filename).read_text(encoding="utf-8") if filename else ""
    except OSError:
        return 0
    return template_line(source, rendered, line)


def _display(filename: str | None, project: Project, fallback: str) -> str:
    if not filename:
        return fallback
    return project.rel(Path(filename))


def _locate(err: BaseException, project: Project, fallback: str) -> tuple[str, int]:
    """The innermost template frame of a runtime error (Jinja rewrites tracebacks)."""
    root = str(project.templates_dir.resolve())
    for frame in reversed(traceback.extract_tb(err.__traceback__)):
        if frame.filename and os.path.abspath(frame.filename).startswith(root):
            return project.rel(Path(frame.filename)), frame.lineno or 0
    return fallback, 0


def _collapse(problems: list[Problem]) -> list[Problem]:
    """One line per template mistake: outputs that broke the same way are counted."""
    groups: dict[tuple[str, int, str, str], list[Problem]] = {}
    for p in problems:
        groups.setdefault((p.file, p.line, p.path, p.message), []).append(p)
    out = []
    for (file, line, path, message), group in groups.items():
        outputs = sorted({p.output for p in group if p.output})
        targets = tuple(sorted({t for p in group for t in p.targets}))
        if len(outputs) > 1:
            message += f" (and {len(outputs) - 1} more output(s))"
        out.append(Problem(file=file, line=line, path=path, output=outputs[0] if outputs else "",
                           message=message, targets=targets))
    return sorted(out)


# -- the public entry point ----------------------------------------------------------
#: Jobs per task of a parallel render: runs of consecutive jobs keep the workers evenly
#: loaded and come back in plan order while the workers render the next ones.
_CHUNK = 64


def _open_as_is(project: Project) -> Project:
    """A worker's state for validation: the project itself."""
    return project


def _renderer_for(project: Project) -> Renderer:
    """A worker's state for rendering, when it starts fresh (no fork)."""
    return Renderer(project)


class _StagingWorker:
    """A forked worker's state when the sink stages where files are rendered: each
    run of jobs comes back as what staging each file did, not as the files."""

    def __init__(self, renderer: Renderer, sink: SplitSink) -> None:
        self.renderer, self.sink = renderer, sink

    def render_jobs(self, jobs: Sequence[Job]) -> tuple[list[Any], list[Problem]]:
        staged: list[Any] = []
        _, problems = self.renderer.render_jobs(
            jobs, sink=lambda rendered: staged.append(self.sink.stage(rendered)))
        return staged, problems


def _validate(project: Project, targets: list[Target], jobs: int) -> list[Problem]:
    """Schema problems of ``targets``; with ``jobs`` > 1, targets split over processes
    (validation is a serial tenth of a large render otherwise)."""
    if jobs > 1 and len(targets) > 1:
        from mwgen.schema import not_known_valid

        targets = not_known_valid(project, targets)  # what passed before is not forked for
    if jobs <= 1 or len(targets) <= 1:
        return project.validate(targets)
    from functools import partial

    from mwgen.errors import merge_problems
    from mwgen.render import parallel
    from mwgen.schema import validator_for

    validator_for(project)  # compile once; forked workers inherit it
    with parallel.pool(jobs, parallel.ProjectSpec.of(project), _open_as_is, project) as workers:
        found = list(workers.map(partial(parallel.call, "validate"),
                                 [targets[i::jobs] for i in range(jobs)]))
    return merge_problems(p for chunk in found for p in chunk)


def render(project: Project, targets: Sequence[Target] | None = None, *, jobs: int = 1,
           validate: bool = True, skip: frozenset[str] | set[str] = frozenset(),
           progress: Callable[[int, int], None] | None = None,
           sink: Callable[[RenderedFile], None] | None = None) -> RenderResult:
    """Validate, then render every template for ``targets`` (default: all).

    The files are returned in the result, in plan order; with ``sink``, each goes to
    ``sink`` in plan order as soon as it is rendered (``-j N``: as each run of jobs
    comes back) and the result holds none, so memory does not grow with the tree.
    After a template problem nothing more is passed; every problem is still collected
    and raised at the end, as without ``sink``. A :class:`SplitSink` with forked
    workers stages in the workers: everything they staged is recorded, a problem or
    not, so that the sink can undo it.

    Scopes in ``skip`` (found fresh by :mod:`mwgen.incremental`) are neither validated
    nor rendered, and are absent from the result's scopes. ``progress(done, total)``
    is called before each job (serial renders only), for a progress bar.
    """
    chosen = list(project.targets() if targets is None else targets)
    if validate:
        problems = _validate(project, [t for t in chosen if f"target:{t.name}" not in skip],
                             jobs)
        if problems:
            raise ValidationFailed(problems=problems)
    renderer = Renderer(project)
    plan, scopes = renderer.plan(chosen)
    plan = [job for job in plan if job.scope not in skip]
    scopes = scopes - set(skip)
    if jobs > 1 and len(plan) > 1:
        from functools import partial

        from mwgen.render import parallel

        split: SplitSink | None = None
        if parallel.can_fork():
            renderer.warm(plan)  # compile and build contexts once; forked workers inherit them
            if isinstance(sink, SplitSink):
                split = sink
                split.prepare()
        size = max(1, min(_CHUNK, -(-len(plan) // jobs)))
        chunks = [plan[i:i + size] for i in range(0, len(plan), size)]
        files, problems = [], []
        state = renderer if split is None else _StagingWorker(renderer, split)
        with parallel.pool(jobs, parallel.ProjectSpec.of(project), _renderer_for,
                           state) as workers:
            for got, found in parallel.in_order(workers, partial(parallel.call, "render_jobs"),
                                                chunks, ahead=2 * jobs):
                problems.extend(found)
                if split is not None:  # staged already: each is recorded, to be undone
                    for staged in got:
                        split.record(staged)
                elif sink is None:
                    files.extend(got)
                elif not problems:
                    for rendered in got:
                        sink(rendered)
    else:
        files, problems = renderer.render_jobs(plan, progress, sink)
    if problems:
        raise TemplateError.many(_collapse(problems))
    # Both paths return files in plan order (parallel runs are consecutive jobs).
    return RenderResult(files={f.path: f for f in files}, scopes=scopes)
