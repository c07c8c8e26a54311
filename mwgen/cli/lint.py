"""``mwgen lint``: parse options, call :func:`mwgen.lint.lint_output`, report."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import click

VALIDATORS = ("auto", "kubeconform", "builtin")  # mirrors mwgen.lint.VALIDATORS (kept import-free)


@click.command("lint")
@click.option("-t", "--target", "targets", multiple=True, metavar="TARGET",
              help="Only output/*/ENV/REGION/ of this target; globs like 'production/*'.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="How to print findings.")
@click.option("--kubernetes-version", metavar="V", default=None,
              help="Schemas to check against (default: values kubernetes.version, else 1.30).")
@click.option("--validator", type=click.Choice(VALIDATORS), default="auto", show_default=True,
              help="kubeconform if installed (auto), or force one.")
@click.option("--kubeconform", "kubeconform", metavar="PATH", default=None,
              help="The kubeconform binary (default: $MWGEN_KUBECONFORM, then PATH).")
@click.option("--skip-kind", "skip_kinds", multiple=True, metavar="KIND",
              help="Do not schema-check this kind (repeatable).")
@click.option("--strict", is_flag=True,
              help="Warnings fail too (e.g. a kind no schema covers).")
@click.option("--list-rules", is_flag=True,
              help="List the project's rules with their severity and why, and exit.")
@click.pass_context
def cmd(ctx: click.Context, targets: tuple[str, ...], fmt: str, kubernetes_version: str | None,
        validator: str, kubeconform: str | None, skip_kinds: tuple[str, ...], strict: bool,
        list_rules: bool) -> None:
    """Check the rendered output: Kubernetes schemas, HCL, dashboards, lint rules.

    Exits 1 on an error finding (or a warning with --strict), 0 otherwise.
    """
    from mwgen.lint import lint_output

    if list_rules:
        ctx.exit(print_rules(project_root(ctx), fmt))
    result = lint_output(project_root(ctx), targets=targets or None,
                         kubernetes_version=kubernetes_version, validator=validator,
                         kubeconform=kubeconform, skip_kinds=skip_kinds)
    ok = result.passes(strict)
    if fmt == "json":
        import json

        click.echo(json.dumps({"ok": ok,
                               "problems": [p.to_json() for p in result.problems],
                               "summary": result.to_json()}, indent=2))
        ctx.exit(0 if ok else 1)
    ctx.exit(report_result(result, strict=strict))


def report_result(result: Any, *, strict: bool = False) -> int:
    """Findings on stderr, the summary line, and the exit code (warnings pass unless
    ``strict``)."""
    for p in result.problems:
        click.echo(p.format(), err=True)
    click.echo(result.summary(), err=bool(result.problems))
    return 0 if result.passes(strict) else 1


def print_rules(root: Path, fmt: str) -> int:
    """One line per rule: id, severity for this project, options, why."""
    from mwgen.config import load_config
    from mwgen.lint.rules import project_rules
    from mwgen.lint.rules.engine import lint_options, select

    config = load_config(root)
    rows: list[dict[str, Any]] = []
    for rule in select(project_rules(root, config), config).values():
        options = {**rule.options, **lint_options(config).get(rule.id, {})}
        rows.append({"id": rule.id, "severity": config.severity(rule.id, rule.severity),
                     "waivable": rule.waivable, "options": options, "why": rule.why})
    if fmt == "json":
        import json

        click.echo(json.dumps(rows, indent=2))
        return 0
    width = max(len(r["id"]) for r in rows)
    for r in rows:
        opts = " ".join(f"{k}={v}" for k, v in r["options"].items())
        fixed = "" if r["waivable"] else " (not waivable)"
        click.echo(f"{r['id']:<{width}}  {r['severity']:<7}  {r['why']}{fixed}{'  [' + opts + ']' if opts else ''}")
    return 0


def run_after_render(ctx: click.Context, project: Any, chosen: Sequence[Any],
                     output_dir: Path | None = None) -> int:
    """``mwgen render --lint``: lint what was just rendered, report as text, return the
    exit code. All targets rendered: the whole tree, shared files included; otherwise the
    chosen targets' folders."""
    from mwgen.lint import lint_output

    names = sorted(str(t) for t in chosen)
    everything = names == sorted(str(t) for t in project.targets())
    result = lint_output(Path(project.root), targets=None if everything else names,
                         output_dir=output_dir)
    return report_result(result)


def project_root(ctx: click.Context) -> Path:
    from mwgen.cli import open_project

    return Path(open_project(ctx).root)
