"""``mwgen init [DIR]``: write a small working project (refuses to overwrite)."""

from __future__ import annotations

import click


@click.command("init")
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.pass_context
def cmd(ctx: click.Context, directory: str) -> None:
    """Write a small working project into DIRECTORY (default: here).

    Values for two environments and regions, a documented schema, one template each
    for Kubernetes, Argo CD, Grafana and Terraform, mwgen.yaml, .gitignore,
    .pre-commit-config.yaml and a CI workflow. Nothing is written if any of these
    files exists.
    """
    from pathlib import Path

    from mwgen.scaffold import init_project

    result = init_project(Path(directory), directory)
    if result.refused:
        for problem in result.refused:
            click.echo(problem.format(), err=True)
        ctx.exit(1)
    for rel in result.written:
        click.echo(f"wrote {rel}")
    where = "" if directory == "." else f"cd {directory} && "
    click.echo(f"next: {where}mwgen render && mwgen lint   (then commit, output/ included)")
