"""``mwgen schemas fetch``: download the pinned upstream schemas into the user cache."""

from __future__ import annotations

import click


@click.group("schemas")
def cmd() -> None:
    """Third-party schemas lint checks against (see docs/lint.md)."""


@cmd.command("fetch")
@click.option("--base-url", metavar="URL", default=None,
              help="Where to download from (default: $MWGEN_SCHEMA_BASE_URL, else "
                   "https://raw.githubusercontent.com); file:// works.")
@click.pass_context
def fetch(ctx: click.Context, base_url: str | None) -> None:
    """Download the pinned Argo CD, Flagger, Istio and Grafana schemas, check each
    against its recorded sha256 and store it in the user cache.

    Exits 1 when any file could not be downloaded or did not match its hash.
    """
    from mwgen.schemafetch import fetch_all
    from mwgen.schemastore import cache_root

    outcomes = fetch_all(base=base_url)
    for o in outcomes:
        if o.status == "failed":
            click.echo(f"mwgen schemas fetch: {o.message}", err=True)
        else:
            click.echo(f"{o.status}: {o.pin.store_as}")
    counts = {s: sum(o.status == s for o in outcomes) for s in ("stored", "present", "failed")}
    click.echo(f"schemas fetch: {len(outcomes)} pinned files, {counts['stored']} stored, "
               f"{counts['present']} already cached, {counts['failed']} failed "
               f"(cache: {cache_root()})", err=bool(counts["failed"]))
    ctx.exit(1 if counts["failed"] else 0)
