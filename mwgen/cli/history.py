"""``mwgen history``: the versions an environment ran, from git history."""

from __future__ import annotations

import click

from mwgen.cli import open_project


@click.command("history")
@click.argument("env")
@click.option("-s", "--service", "services", multiple=True, metavar="S",
              help="Only this service (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.pass_context
def cmd(ctx: click.Context, env: str, services: tuple[str, ...], fmt: str) -> None:
    """List each version ENV ran, oldest first: when, in which commit, in which regions.

    Read from the first-parent history of values/ on the current branch.
    """
    from mwgen.promote.history import history
    from mwgen.promote.paths import Promotable
    from mwgen.promote.promotion import check_env, services_of
    from mwgen.promote.report import history_json, history_text

    project = open_project(ctx)
    promotable = Promotable.from_config(project.config)
    scope = check_env(project, env)
    services_of(project, promotable, env, scope, services)
    entries = history(project.root, promotable, env, services)
    click.echo(history_json(entries) if fmt == "json" else history_text(entries))
