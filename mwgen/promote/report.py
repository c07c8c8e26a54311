"""A promotion as text (terminal), Markdown (a pull-request body) or JSON.

Values first (path, old -> new, file:line), then the gates, then what the render
changes, reported by :mod:`mwgen.diff`'s reporters so it reads like ``mwgen diff``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from mwgen.errors import format_path

if TYPE_CHECKING:
    from mwgen.promote.history import Entry
    from mwgen.promote.promotion import Promotion


NOTHING = ("every target in scope already runs it (or holds it in a blue-green idle slot: "
           "`mwgen promote ENV --switch` moves traffic there)")


def _headline(plan: Promotion) -> str:
    if plan.kind == "promote":
        return f"promote {plan.label + ' ' if plan.label else ''}from {plan.source} to {plan.scope}"
    if plan.kind == "rollback":
        return f"roll {plan.scope} back to {plan.label or plan.requested}"
    return f"switch {plan.scope}: {plan.label}"


def text(plan: Promotion, *, dry_run: bool = False, commit: str = "") -> str:
    out = [_headline(plan) + (" (dry run: nothing written)" if dry_run else "")]
    if not plan.changes:
        return out[0] + f": nothing to change, {NOTHING}"
    if plan.gates:
        out.append("gates:")
        out += [f"  {'passed' if g.passed else 'FORCED'}  {g.name}: {g.problem.message} "
                f"({g.problem.file}:{g.problem.line})" for g in plan.gates]
        if plan.forced:
            out.append(f"  reason: {plan.reason}")
    if plan.approval == "manual":
        out.append(f"approval: {plan.target} takes promotions with a person's approval "
                   "(review the pull request)")
    out.append("values:")
    out += [f"  {format_path(c.path)}: {c.old} -> {c.new}  {c.where}"
            f"{' (new key)' if c.created else ''}" for c in plan.changes]
    if plan.diff is not None:
        from mwgen.diff.report import TextReporter

        out.append("output:")
        lines = TextReporter().report(plan.diff).splitlines()[:-1]  # its summary: below
        out += ["  " + line if line else line for line in lines]
        out.append(f"  {len(plan.diff.files)} output file(s) change")
    if commit:
        out.append(f"committed {commit[:12]} on branch {plan.branch}")
    return "\n".join(out)


def markdown(plan: Promotion, *, dry_run: bool = False, commit: str = "") -> str:
    """A pull-request body: what and why, the gates, the values, the output diff."""
    out = [f"## {_headline(plan)}" + (" (dry run)" if dry_run else ""), ""]
    if not plan.changes:
        return "\n".join([*out, f"Nothing to change: {NOTHING}.", ""])
    if plan.gates:
        out += ["| gate | result | detail |", "| --- | --- | --- |"]
        out += [f"| {g.name} | {'passed' if g.passed else '**forced**'} | "
                f"{g.problem.message.replace('|', '/')} |" for g in plan.gates]
        if plan.forced:
            out += ["", f"**Forced**, reason: {plan.reason}"]
        out.append("")
    if plan.approval == "manual":
        out += [f"**Manual approval**: {plan.target} takes promotions after a review.", ""]
    out += ["| value | old | new | file |", "| --- | --- | --- | --- |"]
    out += [f"| `{format_path(c.path)}` | `{c.old}` | `{c.new}` | `{c.where}`"
            f"{' (new key)' if c.created else ''} |" for c in plan.changes]
    out.append("")
    if plan.diff is not None:
        from mwgen.diff.report import MarkdownReporter, summary

        body = MarkdownReporter().report(plan.diff).splitlines()
        out.append("### rendered output")
        out += [line.replace("### ", "#### ") for line in body[1:]
                if line != summary(plan.diff)]
    if commit:
        out.append(f"Commit `{commit[:12]}` on branch `{plan.branch}`.")
    return "\n".join(out).rstrip() + "\n"


def as_json(plan: Promotion, *, dry_run: bool = False, commit: str = "") -> str:
    return json.dumps({
        "kind": plan.kind, "source": plan.source, "target": plan.target,
        "regions": list(plan.regions), "versions": plan.versions, "dry_run": dry_run,
        "changes": [c.to_json() for c in plan.changes],
        "gates": [{"gate": g.name, "passed": g.passed, **g.problem.to_json()}
                  for g in plan.gates],
        "reason": plan.reason, "approval": plan.approval, "branch": plan.branch,
        "commit": commit or None,
        "diff": plan.diff.to_json() if plan.diff is not None else None,
    }, indent=2, ensure_ascii=False)


REPORTS = {"text": text, "markdown": markdown, "json": as_json}


def history_text(entries: list[Entry]) -> str:
    if not entries:
        return "no version recorded in git history"
    return "\n".join(
        f"{e.commit.when}  {e.commit.short}  {e.service}  {e.version}  "
        f"{'all regions' if e.all_regions else ', '.join(e.regions)}  {e.commit.subject}"
        for e in entries)


def history_json(entries: list[Entry]) -> str:
    return json.dumps([e.to_json() for e in entries], indent=2, ensure_ascii=False)
