"""``mwgen values TARGET``: the merged values, optionally with their origins."""

from __future__ import annotations

import click

from mwgen.cli import open_project, value_layer_options


@click.command("values")
@click.argument("target", metavar="TARGET|ENV")
@click.option("--explain", is_flag=True, help="Show the file:line:col that set each leaf.")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml",
              show_default=True, help="Output format.")
@value_layer_options
@click.pass_context
def cmd(ctx: click.Context, target: str, explain: bool, fmt: str,
        files: tuple[str, ...], sets: tuple[str, ...]) -> None:
    """Print the merged values of TARGET (ENV/REGION), or of ENV alone: defaults plus
    the environment file, what per-environment templates see."""
    import json

    from mwgen.errors import format_path
    from mwgen.render.yamlfmt import dump_yaml

    project = open_project(ctx, overrides=sets, extra_files=files)
    merged = project.values(**_scope(project, target))
    if explain:
        rows = [(format_path(path), value, str(origin)) for path, value, origin in merged.leaves()]
        if fmt == "json":
            click.echo(json.dumps([{"path": p, "value": v, "origin": o} for p, v, o in rows],
                                  indent=2))
        else:
            width = max((len(p) for p, _, _ in rows), default=0)
            for path, value, origin in rows:
                click.echo(f"{path:<{width}}  {json.dumps(value)}  # {origin}")
        return
    if fmt == "json":
        click.echo(json.dumps(merged.data, indent=2))
    else:
        click.echo(dump_yaml([merged.data]), nl=False)


def _scope(project: object, name: str) -> dict[str, object]:
    """``ENV/REGION`` -> a target; ``ENV`` -> the environment-level merge."""
    from mwgen.errors import UsageError

    if "/" in name:
        return {"target": project.target(name)}  # type: ignore[attr-defined]
    envs = project.environments()  # type: ignore[attr-defined]
    if name not in envs:
        raise UsageError(f"mwgen: unknown environment '{name}' (environments: "
                         f"{', '.join(envs)}; a target is ENV/REGION)")
    return {"env": name}
