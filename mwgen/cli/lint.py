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
@click.pass_context
def cmd(ctx: click.Context, targets: tuple[str, ...], fmt: str, kubernetes_version: str | None,
        validator: str, kubeconform: str | None, skip_kinds: tuple[str, ...],
        strict: bool) -> None:
    """Check the rendered output: Kubernetes schemas, HCL, dashboards, policy rules.

    Exits 1 on any error, 0 when there are none; warnings fail only with --strict.
    """
    from mwgen.lint import lint_output

    result = lint_output(project_root(ctx), targets=targets or None,
                         kubernetes_version=kubernetes_version, validator=validator,
                         kubeconform=kubeconform, skip_kinds=skip_kinds)
    if fmt == "json":
        import json

        failed = result.failed(strict=strict)
        click.echo(json.dumps({"ok": not failed,
                               "problems": [p.to_json() for p in result.problems],
                               "summary": result.to_json()}, indent=2))
        ctx.exit(1 if failed else 0)
    ctx.exit(report_result(result, strict=strict))


def report_result(result: Any, *, strict: bool = False) -> int:
    """Findings on stderr, the summary line, and the exit code (warnings pass unless
    ``strict``)."""
    from mwgen.cli import report_problems

    report_problems(result.problems, "text", summary=result.summary())
    return 1 if result.failed(strict=strict) else 0


def run_after_render(ctx: click.Context, project: Any, chosen: Sequence[Any]) -> int:
    """``mwgen render --lint``: lint what was just rendered, report as text, return the
    exit code. All targets rendered: the whole tree, shared files included; otherwise the
    chosen targets' folders."""
    from mwgen.lint import lint_output

    names = sorted(str(t) for t in chosen)
    everything = names == sorted(str(t) for t in project.targets())
    result = lint_output(Path(project.root), targets=None if everything else names)
    return report_result(result)


def project_root(ctx: click.Context) -> Path:
    from mwgen.cli import open_project

    return Path(open_project(ctx).root)
