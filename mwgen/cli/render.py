"""``mwgen render``: validate, render and write ``output/``."""

from __future__ import annotations

import click

from mwgen.cli import open_project, value_layer_options


@click.command("render")
@click.option("-t", "--target", "targets", multiple=True, metavar="TARGET",
              help="Only these targets (ENV/REGION; globs like 'production/*'). Repeatable.")
@value_layer_options
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Render in N processes (output is byte-identical to -j 1).")
@click.option("--output", "output_dir", type=click.Path(file_okay=False), default=None,
              help="Write here instead of the project's output/.")
@click.option("--lint", "run_lint", is_flag=True, help="Run `mwgen lint` after rendering.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Summary format.")
@click.option("--stdout", "to_stdout", is_flag=True,
              help="Print the rendered files as one YAML stream instead of writing output/.")
@click.option("--rebuild-manifest", "rebuild", is_flag=True,
              help="Rebuild output/.mwgen-manifest.json from a full render (after a git "
                   "merge conflict in it): files whose bytes equal the render, or any "
                   "readable entry of the old manifest, count as generated.")
@click.pass_context
def cmd(ctx: click.Context, targets: tuple[str, ...], files: tuple[str, ...],
        sets: tuple[str, ...], jobs: int, output_dir: str | None, run_lint: bool,
        fmt: str, to_stdout: bool, rebuild: bool) -> None:
    """Render values and templates into output/ (nothing is written if values are invalid).

    Without -t the render owns the whole tree: generated files of a removed
    environment, region, target or service are removed.
    """
    if to_stdout and rebuild:
        raise click.UsageError("--rebuild-manifest writes output/; it cannot be combined "
                               "with --stdout")
    if to_stdout:
        ctx.exit(_to_stdout(ctx, targets, files, sets, jobs,
                            conflicts=run_lint or bool(output_dir) or fmt != "text"))
    import json
    import sys
    from pathlib import Path

    from mwgen.build import render_to_disk

    project = open_project(ctx, overrides=sets, extra_files=files)
    bar = _ProgressBar() if sys.stderr.isatty() else None
    try:
        report = render_to_disk(project, targets, jobs=jobs, rebuild=rebuild,
                                output_dir=Path(output_dir) if output_dir else None,
                                progress=bar.update if bar else None)
    finally:
        if bar:
            bar.close()
    out, chosen, elapsed = report.output_dir, report.targets, report.seconds
    if fmt == "json":
        click.echo(json.dumps({"written": report.written, "unchanged": len(report.unchanged),
                               "removed": report.removed, "kept_edited": report.kept_edited,
                               "overwrote_edits": report.overwrote_edits,
                               "seconds": round(elapsed, 3)}, indent=2))
    else:
        for rel in report.overwrote_edits:
            click.echo(f"{project.rel(out)}/{rel}: overwrote changes made by hand", err=True)
        for rel in report.kept_edited:
            click.echo(f"{project.rel(out)}/{rel}: no longer generated but edited by hand: "
                       "kept, and no longer managed by mwgen", err=True)
        click.echo(f"rendered {len(chosen)} target(s): {len(report.written)} written, "
                   f"{len(report.unchanged)} unchanged, {len(report.removed)} removed "
                   f"in {elapsed:.2f}s")
    if run_lint:
        from mwgen.cli.lint import run_after_render

        ctx.exit(run_after_render(ctx, project, chosen, output_dir=out))



def _to_stdout(ctx: click.Context, targets: tuple[str, ...], files: tuple[str, ...],
               sets: tuple[str, ...], jobs: int, *, conflicts: bool) -> int:
    """``--stdout``: render in memory and print one stream; output/ is not touched."""
    from mwgen.render.engine import render
    from mwgen.render.stream import stream

    if conflicts:
        raise click.UsageError("--stdout writes no files and prints no summary: it cannot "
                               "be combined with --output, --lint or --format")
    project = open_project(ctx, overrides=sets, extra_files=files)
    result = render(project, project.select(targets), jobs=jobs)
    click.echo(stream(result.files.values()), nl=False)
    return 0


class _ProgressBar:
    """click's progress bar, shown only where a person watches and the work is long."""

    THRESHOLD = 500  # jobs; smaller renders finish before a bar helps

    def __init__(self) -> None:
        self.bar: object | None = None

    def update(self, done: int, total: int) -> None:
        import sys

        if self.bar is None:
            if total < self.THRESHOLD:
                return
            self.bar = click.progressbar(length=total, label="rendering", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(1)  # type: ignore[attr-defined]

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)  # type: ignore[attr-defined]
