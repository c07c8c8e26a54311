"""Run the selected rules, apply waivers and severities, turn findings into Problems.

Selection and severity come from ``lint.rules`` in ``mwgen.yaml`` (id -> error, warning
or off; default: the rule's own severity), options from ``lint.options`` (id -> mapping,
overlaid on the rule's defaults). A waiver is an annotation on the object a finding is
about, with a written reason::

    metadata:
      annotations:
        mwgen.io/waive: "pod.read-only-root-fs=vendor image writes to /var/cache"

A waiver without a reason, for an unknown rule, or for a rule that cannot be waived is a
finding of :data:`WAIVER_RULE` itself, so a waiver always documents why.

A project rule (extension file or pack) that raises stops the run with one error at the
line of its file that raised, like an extension file that fails to load.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mwgen.errors import InputError, MwgenError, Problem, format_path
from mwgen.lint.rules.base import Context, Finding, Rule

if TYPE_CHECKING:
    from mwgen.config import ProjectConfig
    from mwgen.lint.tree import KubeObject, OutputTree

WAIVE_ANNOTATION = "mwgen.io/waive"
WAIVER_RULE = "waiver.has-reason"
#: ids of the checks that are not rule modules (schemas, syntax); lint.rules may set them too
CORE_CHECKS = ("yaml", "json", "k8s-schema", "k8s-no-schema", "hcl", "terraform-fmt", "dashboard-schema",
               "dashboard-panel-id", "dashboard-grid", "dashboard-query", "dashboard-datasource")


def select(rules: Sequence[Rule], config: ProjectConfig) -> dict[str, Rule]:
    """Rules by id; a duplicate id, or configuration naming an unknown rule or option,
    is a located error in ``mwgen.yaml``."""
    by_id: dict[str, Rule] = {}
    for rule in rules:
        if not isinstance(rule, Rule):
            raise InputError(file=config_file(config), path="RULES",
                             message=f"{rule!r} is not a mwgen.lint.rules.Rule")
        if rule.id in by_id:
            raise InputError(file=config_file(config), path="lint",
                             message=f"two rules have the id {rule.id!r}")
        by_id[rule.id] = rule
    for rid in config.lint_rules:
        if rid not in by_id and rid not in CORE_CHECKS:
            raise _config_error(config, ("lint", "rules", rid),
                                f"unknown rule {rid!r}{_hint(rid, by_id)}")
    for rid, opts in lint_options(config).items():
        found = by_id.get(rid)
        if found is None:
            raise _config_error(config, ("lint", "options", rid),
                                f"unknown rule {rid!r}{_hint(rid, by_id)}")
        for key in opts:
            if key not in found.options:
                known = ", ".join(found.options) or "none"
                raise _config_error(config, ("lint", "options", rid, key),
                                    f"{rid} has no option {key!r} (options: {known})")
    return by_id


def run(tree: OutputTree, objects: list[KubeObject], config: ProjectConfig,
        rules: Sequence[Rule]) -> list[Problem]:
    """Every finding of every active rule, waivers applied, as Problems."""
    by_id = select(rules, config)
    waived: dict[int, set[str]] = {}
    bad_waivers: list[Finding] = []
    for obj in objects:
        valid, bad = parse_waivers(obj, by_id)
        waived[id(obj)] = valid
        bad_waivers.extend(bad)
    base = Context(tree, objects, config)
    problems: list[Problem] = []
    for rule in by_id.values():
        severity = config.severity(rule.id, rule.severity)
        if severity == "off":
            continue
        if rule.id == WAIVER_RULE:
            found: Iterable[Finding] = bad_waivers
        else:
            options = {**rule.options, **lint_options(config).get(rule.id, {})}
            found = findings(rule, base.for_rule(options), config)
        for f in found:
            if f.obj is not None and rule.id in waived.get(id(f.obj), set()):
                continue
            problems.append(to_problem(tree, rule, severity, f))
    # An object several targets apply is checked under each: the same finding once.
    return list(dict.fromkeys(problems))


def findings(rule: Rule, ctx: Context, config: ProjectConfig) -> list[Finding]:
    """What ``rule`` finds. A project rule that raises is the project's bug: an error at
    the line of its file that raised (exit 1). A built-in rule's exception is mwgen's and
    propagates."""
    try:
        return list(rule.check(ctx))
    except MwgenError:
        raise
    except Exception as err:
        if str(getattr(rule.check, "__module__", "")).startswith("mwgen."):
            raise
        from mwgen.extensions import _line_in

        code = getattr(rule.check, "__code__", None)
        filename = code.co_filename if code is not None else ""
        try:
            file = Path(filename).relative_to(config.root).as_posix()
        except ValueError:
            file = filename or config_file(config)
        message = f"lint rule {rule.id} raised {type(err).__name__}: {err}"
        raise InputError(file=file, line=_line_in(err, filename), message=message) from None


def graded(problem: Problem, config: ProjectConfig) -> Problem:
    """A finding of a core check (``k8s-schema``, ``hcl``...) with the severity the
    project gave that check (``off`` drops it)."""
    if problem.rule in CORE_CHECKS and problem.rule in config.lint_rules:
        from dataclasses import replace

        return replace(problem, severity=config.lint_rules[problem.rule])
    return problem


def to_problem(tree: OutputTree, rule: Rule, severity: str, f: Finding) -> Problem:
    """``[rule] severity: message (why: ...)`` at the finding's place."""
    if f.obj is not None:
        line, column = f.obj.doc.position(f.path)
        message = f"{severity}: {f.obj.ident}: {f.message} (why: {rule.why})"
        return tree.problem(f.obj.file, message, line=line, column=column,
                            path=format_path(f.path), rule=rule.id, severity=severity)
    assert f.file is not None, f"rule {rule.id}: a finding needs an object or a file"
    message = f"{severity}: {f.message} (why: {rule.why})"
    return tree.problem(f.file, message, line=f.line, column=f.column,
                        path=format_path(f.path), rule=rule.id, severity=severity)


def parse_waivers(obj: KubeObject, rules: dict[str, Rule]) -> tuple[set[str], list[Finding]]:
    """(rule ids validly waived on ``obj``, findings about malformed waivers)."""
    meta = obj.data.get("metadata")
    annotations = meta.get("annotations") if isinstance(meta, dict) else None
    text = annotations.get(WAIVE_ANNOTATION) if isinstance(annotations, dict) else None
    if text is None:
        return set(), []
    path = ("metadata", "annotations", WAIVE_ANNOTATION)
    valid: set[str] = set()
    bad: list[Finding] = []
    for entry in str(text).split(";"):
        if not entry.strip():
            continue
        rule_id, sep, reason = (s.strip() for s in entry.partition("="))
        rule = rules.get(rule_id)
        if rule is None:
            bad.append(Finding(f"waiver for unknown rule {rule_id!r}", obj, path))
        elif not rule.waivable:
            bad.append(Finding(f"{rule_id} cannot be waived", obj, path))
        elif not sep or not reason:
            bad.append(Finding(f"waiver of {rule_id} gives no reason (write {rule_id}=why)", obj, path))
        else:
            valid.add(rule_id)
    return valid, bad


def _config_error(config: ProjectConfig, path: tuple[str, ...], message: str) -> InputError:
    """An error about the ``mwgen.yaml`` entry at ``path``, at its line."""
    line, column = config.where(*path)
    return InputError(file=config_file(config), line=line, column=column,
                      path=format_path(path), message=message)


def lint_options(config: ProjectConfig) -> dict[str, dict[str, Any]]:
    return {k: dict(v) for k, v in config.lint_options.items()}


def config_file(config: ProjectConfig) -> str:
    return config.file.name if config.file is not None else "mwgen.yaml"


def _hint(name: str, known: dict[str, Rule]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known) + list(CORE_CHECKS), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
