"""``mwgen validate [FILE]...``: schema-check values (the pre-commit hook)."""

from __future__ import annotations

import click

from mwgen.cli import open_project, report_problems


@click.command("validate")
@click.argument("files", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.pass_context
def cmd(ctx: click.Context, files: tuple[str, ...], fmt: str) -> None:
    """Validate the merged values of every target FILES feed (all targets without FILES).

    A values file that feeds no target (outside values/, a typo'd folder) is still
    read, so a syntax error in it is reported.
    """
    from pathlib import Path

    project = open_project(ctx)
    if files:
        for f in files:
            path = Path(f)
            if path.suffix in (".yaml", ".yml") and path.exists():
                project.layer(path.resolve(), required=True)  # syntax, duplicate keys
        targets = project.files_feeding(files)
    else:
        targets = project.targets()
    problems = project.validate(targets)
    summary = f"{len(targets)} target(s) checked, {len(problems)} problem(s)"
    if project.config.schema is None:
        summary += " (no values schema (schema: false in mwgen.yaml): only YAML and secrets checked)"
    ctx.exit(report_problems(problems, fmt, summary=summary))
