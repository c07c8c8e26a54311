"""The click layer: parse options, call the library, report, return an exit code.

Commands live one per module (``mwgen/cli/<name>.py``) and are imported only when
they run, so ``mwgen --help`` costs little more than importing click. This module
holds the group, the global ``--project`` option and the one place where errors
become output and exit codes.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

#: command name -> module under mwgen.cli that defines a click command ``cmd``.
COMMANDS: dict[str, tuple[str, str]] = {
    "render": ("render", "Render values and templates into output/."),
    "validate": ("validate", "Schema-check the merged values of the targets FILES feed."),
    "diff": ("diff", "Compare what would render with the committed output/."),
    "lint": ("lint", "Check the rendered output: Kubernetes schemas, HCL, dashboards, lint rules."),
    "values": ("values", "Print the merged values of TARGET or of an environment."),
    "targets": ("targets", "List the targets (ENV/REGION)."),
    "promote": ("promote", "Promote versions from one environment to the next (gated)."),
    "history": ("history", "List the versions an environment ran, from git history."),
    "init": ("init", "Write a small working project into DIR."),
    "docs": ("docs", "Values reference (markdown) or layer schema, from the values schema."),
    "schemas": ("schemas", "Fetch the pinned third-party schemas lint uses into the cache."),
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module = importlib.import_module(f"mwgen.cli.{COMMANDS[cmd_name][0]}")
        command: click.Command = module.cmd
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Short help from the table above, so --help imports no command module.
        rows = [(name, help_) for name, (_, help_) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        from mwgen.errors import MwgenError

        try:
            return super().invoke(ctx)
        except MwgenError as err:
            for line in err.lines():
                click.echo(line, err=True)
            ctx.exit(err.exit_code)
        except KeyboardInterrupt:
            click.echo("mwgen: interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            sys.stderr.close()  # reader went away (`| head`): not an error worth a line
            ctx.exit(0)
        except OSError as err:
            # Disk full, permission denied, ...: the environment, not a bug in mwgen.
            where = f"{err.filename}: " if getattr(err, "filename", None) else ""
            click.echo(f"mwgen: {where}{err.strerror or err}", err=True)
            ctx.exit(1)
        except RecursionError:
            click.echo("mwgen: input nested too deeply (recursion limit reached)", err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except Exception as err:  # noqa: BLE001 - the last net: a bug, not the user's input
            if os.environ.get("MWGEN_DEBUG"):
                raise
            click.echo(f"mwgen: internal error: {type(err).__name__}: {err} (a bug in mwgen; "
                       "run with MWGEN_DEBUG=1 for the traceback)", err=True)
            ctx.exit(2)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False),
    default=None,
    envvar="MWGEN_PROJECT",
    help="Project root (default: search upward from the current directory).",
)
@click.version_option(package_name="mwgen", prog_name="mwgen")
@click.pass_context
def main(ctx: click.Context, project_dir: str | None) -> None:
    """mwgen: validated values + Jinja2 templates -> a committed GitOps tree."""
    ctx.obj = {"project_dir": project_dir}


def open_project(ctx: click.Context, *, overrides: tuple[str, ...] = (),
                 extra_files: tuple[str, ...] = ()) -> Any:
    """The project named by ``--project`` or found upward from the working directory,
    with the command line's ``--set`` and ``-f`` layers."""
    from mwgen.project import load_project

    root = ctx.find_root().obj["project_dir"]
    return load_project(root if root is not None else os.getcwd(), search=root is None,
                        overrides=overrides, extra_files=extra_files)


def value_layer_options(command: Any) -> Any:
    """``-f FILE`` and ``--set KEY=VALUE``: the command-line layers above a target's files."""
    command = click.option("--set", "sets", multiple=True, metavar="KEY=VALUE",
                           help="Override one value (YAML scalar), layered last.")(command)
    return click.option("-f", "--values-file", "files", multiple=True,
                        type=click.Path(dir_okay=False),
                        help="Extra values file, layered above the target's files.")(command)


def report_problems(problems: list[Any], fmt: str, *, summary: str = "") -> int:
    """Print problems as text (stderr) or JSON (stdout); return the exit code."""
    import json

    from mwgen.errors import EXIT_INVALID, EXIT_OK

    if fmt == "json":
        click.echo(json.dumps({"ok": not problems,
                               "problems": [p.to_json() for p in problems]},
                              indent=2))
    else:
        for p in problems:
            click.echo(p.format(), err=True)
        if summary:
            click.echo(summary, err=bool(problems))
    return EXIT_INVALID if problems else EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
