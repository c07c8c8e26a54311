"""``mwgen promote``: move versions between environments by editing value files."""

from __future__ import annotations

import click

from mwgen.cli import open_project


@click.command("promote")
@click.argument("envs", nargs=-1, required=True, metavar="[SOURCE] TARGET")
@click.option("-s", "--service", "services", multiple=True, metavar="S",
              help="Only this service (repeatable; default: every service).")
@click.option("-r", "--region", "regions", multiple=True, metavar="R",
              help="One wave: only this region of TARGET, written to "
                   "values/targets/TARGET/R.yaml (repeatable).")
@click.option("--version", "version", metavar="V", default=None,
              help="The version to promote; it must run on every region of SOURCE.")
@click.option("--to-version", "to_version", metavar="V", default=None,
              help="Rollback: put TARGET back on V, a version it ran before (no SOURCE).")
@click.option("--switch", is_flag=True,
              help="Blue-green: move traffic to the idle slot (no SOURCE).")
@click.option("--force", is_flag=True, help="Override a failed gate (needs --reason).")
@click.option("--reason", metavar="TEXT", default=None,
              help="Why a gate is overridden; recorded in the commit message.")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--commit", "do_commit", is_flag=True,
              help="Commit on a new branch promote-TARGET-VERSION.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]),
              default="text", show_default=True, help="Report format (markdown: a PR body).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Render in N processes.")
@click.pass_context
def cmd(ctx: click.Context, envs: tuple[str, ...], services: tuple[str, ...],
        regions: tuple[str, ...], version: str | None, to_version: str | None, switch: bool,
        force: bool, reason: str | None, dry_run: bool, do_commit: bool, fmt: str,
        jobs: int) -> None:
    """Promote what SOURCE runs to TARGET, gated by order and soak time from git.

    Edits the value files where TARGET's versions are set (comments, anchors and
    formatting kept byte for byte), renders, and prints the values and output that
    change. `mwgen promote TARGET --to-version V` rolls back; `mwgen promote TARGET
    --switch` flips blue-green services to their idle slot.
    """
    from mwgen import promote
    from mwgen.promote.promotion import require_force_reason
    from mwgen.promote.report import REPORTS

    single = to_version is not None or switch
    if to_version is not None and switch:
        raise click.UsageError("--to-version and --switch are separate steps")
    if len(envs) != (1 if single else 2):
        raise click.UsageError("expected TARGET with --to-version or --switch, else SOURCE TARGET")
    if dry_run and do_commit:
        raise click.UsageError("--dry-run writes nothing, so it cannot --commit")
    require_force_reason(force, reason)
    project = open_project(ctx)
    if switch:
        plan = promote.plan_switch(project, envs[0], services=services, regions=regions)
    elif to_version is not None:
        plan = promote.plan_rollback(project, envs[0], to_version, services=services,
                                     regions=regions)
    else:
        plan = promote.plan_promote(project, envs[0], envs[1], services=services,
                                    regions=regions, version=version, force=force,
                                    reason=reason)
    sha = ""
    if plan.changes:
        promote.check_clean(project, plan, output=do_commit)
        if do_commit:
            promote.check_branch(project, plan)
        rendered = promote.preview(project, plan, jobs=jobs)
        if not dry_run:
            promote.write(project, plan, rendered)
            if do_commit:
                sha = promote.commit(project, plan)
    click.echo(REPORTS[fmt](plan, dry_run=dry_run, commit=sha))
