"""Problems (data) and errors (what stops a run).

A *problem* is one finding about the user's inputs or outputs: a schema error, a
lint finding, a bad YAML file. Problems are collected and reported together.

An *error* (subclass of :class:`MwgenError`) stops the run. Every error carries the
exit code README.md documents and renders itself as one compiler-style line; the CLI
has a single handler that turns errors into output, so nothing below the CLI prints or
exits. The tree::

    MwgenError                      exit 1 unless noted
    ├── UsageError                  exit 2: mwgen could not run as asked
    │   └── ProjectNotFound
    ├── InputError                  a value file, template or other input
    │   ├── YAMLInputError          a file that is not acceptable YAML (mwgen.yamlio)
    │   └── HCLParseError           text Terraform would refuse (mwgen.hcl)
    ├── ValidationFailed            merged values break the values schema
    ├── TemplateError               a template failed, or rendered invalid output
    ├── OutputInvalid               rendered text that does not parse (mwgen.render.formats)
    ├── EmitError                   exit 2: canonical YAML that would not read back (a bug)
    └── OutputError                 the output tree could not be written safely

Subsystems add their own documented subclasses beside their code (``NoSchema``,
``BlockShapeError``, ``KubeconformFailed``, ``GitError`` (mwgen.gitrun), ``Unparsable``
(mwgen.diff.semantic), ``PromotionRefused``).
A Problem's ``path`` is a path *inside a document* (``spec.ports[0]``); where a file
is, goes in ``file`` (and ``line``/``column``), never in ``path``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: Exit codes, as README.md documents them.
EXIT_OK = 0
EXIT_INVALID = 1  # inputs or outputs are not acceptable
EXIT_USAGE = 2  # mwgen could not run as asked


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, located as precisely as we know.

    ``file`` is relative to the project root; ``line`` and ``column`` are 1-based
    (0 means unknown). ``path`` is a path inside the data (``spec.replicas``);
    ``output`` is the rendered file a template finding is about (``output/x.tf:5``),
    shown before it. ``targets`` names every target the finding applies to, so a
    finding in a file shared by several targets is reported once.
    """

    file: str
    line: int = 0
    column: int = 0
    path: str = ""
    message: str = ""
    targets: tuple[str, ...] = ()
    rule: str = ""
    severity: str = "error"
    output: str = ""

    def format(self) -> str:
        """The one-line, compiler-style form: ``file:line:col: path: message``."""
        loc = self.file
        if self.line:
            loc += f":{self.line}"
            if self.column:
                loc += f":{self.column}"
        text = f"{loc}: "
        if self.output:
            text += f"{self.output}: "
        if self.path:
            text += f"{self.path}: "
        if self.severity != "error":
            text += f"{self.severity}: "
        if self.rule:
            text += f"[{self.rule}] "
        text += self.message
        if self.targets:
            text += f" ({', '.join(self.targets)})"
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
            "targets": list(self.targets),
            "rule": self.rule,
            "severity": self.severity,
            "output": self.output,
        }


def format_path(parts: Iterable[Any]) -> str:
    """``('spec', 'ports', 0, 'port')`` -> ``spec.ports[0].port``; a key that is not a
    plain word is quoted (``metadata.annotations['prometheus.io/scrape']``)."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        text = str(part)
        if text and all(c.isalnum() or c in "_-$@" for c in text):
            out += ("." if out else "") + text
        else:
            out += f"[{text!r}]"
    return out


def merge_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Report each finding once, with the union of the targets that share it."""
    merged: dict[tuple[Any, ...], list[str]] = {}
    for p in problems:
        key = (p.file, p.line, p.column, p.path, p.message, p.rule, p.severity, p.output)
        targets = merged.setdefault(key, [])
        for t in p.targets:
            if t not in targets:
                targets.append(t)
    out = [
        Problem(file=k[0], line=k[1], column=k[2], path=k[3], message=k[4],
                rule=k[5], severity=k[6], output=k[7], targets=tuple(sorted(v)))
        for k, v in merged.items()
    ]
    return sorted(out)


class MwgenError(Exception):
    """Base of every error that stops a run; ``exit_code`` is what the CLI exits with."""

    exit_code: int = EXIT_INVALID

    def __init__(self, message: str, *, problems: Iterable[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[Problem] = list(problems)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled by state, not by constructor arguments (most take keywords only):
        a ``-j`` worker's error reaches the render intact."""
        return _restore, (type(self), self.args, self.__dict__)

    @classmethod
    def many(cls, problems: Iterable[Problem]) -> MwgenError:
        """One error of this class carrying several problems (reported together)."""
        problems = list(problems)
        err = cls.__new__(cls)
        MwgenError.__init__(err, "\n".join(p.format() for p in problems), problems=problems)
        return err

    def lines(self) -> list[str]:
        """What the user sees: one line per problem, or the message alone."""
        if self.problems:
            return [p.format() for p in self.problems]
        return [self.message]


def _restore(cls: type[MwgenError], args: tuple[Any, ...], state: dict[str, Any]) -> MwgenError:
    err = cls.__new__(cls)
    Exception.__init__(err, *args)
    err.__dict__.update(state)
    return err


class UsageError(MwgenError):
    """mwgen could not run as asked: a bad option, an unknown target (exit 2)."""

    exit_code = EXIT_USAGE


class ProjectNotFound(UsageError):
    """No mwgen project (a folder with ``values/defaults.yaml``) was found."""


class InputError(MwgenError):
    """A value file, template or other input is not acceptable (exit 1).

    ``message`` is the finding alone; ``str()`` and :meth:`lines` add where it is.
    """

    def __init__(self, *, file: str, message: str, line: int = 0, column: int = 0,
                 path: str = "") -> None:
        problem = Problem(file=file, line=line, column=column, path=path, message=message)
        super().__init__(problem.format(), problems=[problem])
        self.message = message  # the finding alone: str() and lines() add the location
        self.file = file
        self.line = line
        self.column = column


class YAMLInputError(InputError):
    """A file that is not acceptable YAML: a syntax error, a duplicate key, a merge key,
    a number out of range, bytes that are not UTF-8 (raised by :mod:`mwgen.yamlio`)."""


class HCLParseError(InputError, ValueError):
    """Text Terraform would refuse, with hclsyntax's wording (raised by :mod:`mwgen.hcl`).

    ``line``/``column`` are 1-based (0: unknown). The text has a file only when the
    caller names one: then ``str()`` is ``file:line:col: HCL parse error: message``,
    else ``line:col: message`` (the render adds the template's name itself).
    """

    def __init__(self, *, message: str, line: int = 0, column: int = 0, file: str = "") -> None:
        where = f"{line}:{column}" if column else f"{line}"
        problems = [Problem(file=file, line=line, column=column,
                            message=f"HCL parse error: {message}")] if file else []
        MwgenError.__init__(self, problems[0].format() if problems else f"{where}: {message}",
                            problems=problems)
        self.message = message
        self.file = file
        self.line = line
        self.column = column


class ValidationFailed(MwgenError):
    """The merged values of one or more targets break the values schema (exit 1)."""

    def __init__(self, *, problems: Iterable[Problem]) -> None:
        problems = list(problems)
        super().__init__(f"{len(problems)} validation error(s)", problems=problems)


class TemplateError(MwgenError):
    """A template could not be rendered, or rendered invalid output (exit 1)."""

    def __init__(self, *, file: str, message: str, line: int = 0) -> None:
        problem = Problem(file=file, line=line, message=message)
        super().__init__(problem.format(), problems=[problem])
        self.file = file
        self.line = line


class OutputError(MwgenError):
    """The output tree could not be written safely (exit 1): a foreign file in the
    way, a symlink, a path outside ``output/``, a full disk, another render running."""

    def __init__(self, *, file: str, message: str) -> None:
        problem = Problem(file=file, message=message)
        super().__init__(problem.format(), problems=[problem])
        self.file = file


class OutputInvalid(MwgenError):
    """Rendered text that does not parse in its format (raised by
    :mod:`mwgen.render.formats`); ``line`` is 1-based in the rendered text. The render
    engine reports it at the template, naming the output file in the message."""

    def __init__(self, *, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


class WorkerLost(MwgenError):
    """A ``-j`` worker process ended abruptly (the OOM killer, a signal): not the
    inputs' fault, and the run changed nothing (exit 2)."""

    exit_code = EXIT_USAGE


class EmitError(MwgenError):
    """mwgen's canonical YAML would not read back as the data it was made from: a bug in
    mwgen, never silent. Exit 2, like every internal error."""

    exit_code = EXIT_USAGE

    def __init__(self, *, message: str) -> None:
        super().__init__(f"mwgen: internal error: {message} (a bug in mwgen)")
