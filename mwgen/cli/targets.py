"""``mwgen targets``: list ENV/REGION targets."""

from __future__ import annotations

import click

from mwgen.cli import open_project


@click.command("targets")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.pass_context
def cmd(ctx: click.Context, fmt: str) -> None:
    """List the targets (ENV/REGION), one per line."""
    import json

    project = open_project(ctx)
    targets = project.targets()
    if fmt == "json":
        click.echo(json.dumps([{"name": t.name, "env": t.env, "region": t.region}
                               for t in targets], indent=2))
    else:
        for t in targets:
            click.echo(t.name)
