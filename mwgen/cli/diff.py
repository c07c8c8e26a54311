"""``mwgen diff``: what a render would change (exit 1 when anything differs: the CI gate)."""

from __future__ import annotations

import sys

import click

from mwgen.cli import open_project, value_layer_options


@click.command("diff")
@click.option("-t", "--target", "targets", multiple=True, metavar="TARGET",
              help="Only these targets (ENV/REGION; globs like 'production/*'). Repeatable.")
@click.option("--against", "ref", metavar="GIT_REF", default=None,
              help="Compare with what the values and templates of GIT_REF render, "
                   "instead of with the committed output/.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]),
              default="text", show_default=True, help="Report format.")
@value_layer_options
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Render in N processes.")
@click.option("--quick", is_flag=True,
              help="Trust the manifest's input digests: when no input changed since the "
                   "last render and its files are intact, answer without rendering "
                   "(pre-commit). CI should run the full comparison.")
@click.option("-q", "--quiet", is_flag=True,
              help="Only one line per stale file and the fix (for the pre-commit hook).")
@click.pass_context
def cmd(ctx: click.Context, targets: tuple[str, ...], ref: str | None, fmt: str,
        files: tuple[str, ...], sets: tuple[str, ...], jobs: int, quick: bool,
        quiet: bool) -> None:
    """Render in memory and compare with output/ (or with GIT_REF's render).

    Shows a unified diff and a semantic diff per document (YAML, JSON) or Terraform
    address. Writes nothing. Exit 0 when nothing differs, 1 when anything does.
    """
    from mwgen.build import inputs_unchanged
    from mwgen.errors import EXIT_INVALID, EXIT_OK

    project = open_project(ctx, overrides=sets, extra_files=files)
    if quick and ref is None and inputs_unchanged(project, targets):
        if not quiet:
            click.echo("no difference: no input changed since the last render and its "
                       "files are intact (--quick; run without it for a full comparison)")
        ctx.exit(EXIT_OK)
    from mwgen.diff import REPORTERS, diff_against, diff_output  # deepdiff: only when needed

    if ref is not None:
        result = diff_against(project, ref, targets, jobs=jobs)
    else:
        result = diff_output(project, project.select(targets) if targets else None, jobs=jobs)
    reporter = REPORTERS[fmt](color=fmt == "text" and sys.stdout.isatty(), quiet=quiet)
    text = reporter.report(result)
    if text:
        click.echo(text)
    ctx.exit(EXIT_OK if result.ok else EXIT_INVALID)

