"""``mwgen docs``: the values reference (markdown) or the layer schema, from the schema."""

from __future__ import annotations

from pathlib import Path

import click

from mwgen.cli import open_project


@click.command("docs")
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False), default=None,
              help="Write to FILE (default: print).")
@click.option("--layer-schema", "layer", is_flag=True,
              help="Write the JSON schema of one value file (every key optional, null "
                   "deletes) for editors, instead of the markdown reference.")
@click.option("--check", is_flag=True,
              help="With --output: write nothing, exit 1 when FILE is not up to date.")
@click.pass_context
def cmd(ctx: click.Context, output: str | None, layer: bool, check: bool) -> None:
    """Values reference from the schema's descriptions, types, defaults and examples."""
    import json

    from mwgen.errors import UsageError
    from mwgen.schema import validator_for
    from mwgen.valuesdoc import layer_schema, reference

    if check and output is None:
        raise UsageError("mwgen: --check needs --output FILE (the file to compare)")
    project = open_project(ctx)
    compiled = validator_for(project)  # the schema validate uses: located errors, checked
    if compiled is None:
        raise UsageError("mwgen: this project has no values schema (`schema: false` in "
                         "mwgen.yaml): nothing to document")
    source = compiled.display
    schema = _self_contained(project.config.schema_file, compiled)
    if layer:
        text = json.dumps(layer_schema(schema, source), indent=2, ensure_ascii=False) + "\n"
    else:
        text = reference(schema, source)
    if output is None:
        click.echo(text, nl=False)
        return
    target = Path(output)
    try:
        current = target.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        current = None
    if check:
        if current != text:
            flags = " --layer-schema" if layer else ""
            click.echo(f"{output}: not up to date with {source} (run `mwgen docs{flags} "
                       f"--output {output}`)", err=True)
            ctx.exit(1)
        return
    if current != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    click.echo(f"{output}: {'written' if current != text else 'unchanged'}", err=True)


def _self_contained(path: Path, compiled: object) -> dict[str, object]:
    """The values schema with references to files beside it inlined."""
    from mwgen.schema.refs import LocalRefs
    from mwgen.valuesdoc import self_contained

    schema = compiled.validator.schema  # type: ignore[attr-defined]
    refs = LocalRefs(path, schema, compiled.display)  # type: ignore[attr-defined]
    return self_contained(schema, refs.registry().resolver(base_uri=refs.base))
