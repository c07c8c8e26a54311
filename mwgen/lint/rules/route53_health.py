"""route53.health-check-target: a health check's fqdn is a record that exists.

Only names inside a hosted zone the rendered Terraform manages are judged (other names
are outside the tree's knowledge); there, the name must be an ``aws_route53_record``.
"""

from __future__ import annotations

from typing import Iterator

from mwgen.lint.rules.base import Context, Finding, Rule


def check(ctx: Context) -> Iterator[Finding]:
    model = ctx.terraform()
    zones = {z.value("name").rstrip(".").lower() for z in model.instances
             if z.type == "aws_route53_zone" and isinstance(z.value("name"), str)}
    records: set[str] = set()
    for rec in model.resources("aws_route53_record"):
        name = rec.value("name")
        if isinstance(name, str):
            name = name.rstrip(".").lower()
            records.add(name)
            records.update(f"{name}.{z}" for z in zones if not name.endswith(z))
    for hc in model.resources("aws_route53_health_check"):
        fqdn = hc.value("fqdn")
        if not isinstance(fqdn, str):
            continue
        fqdn = fqdn.rstrip(".").lower()
        zone = next((z for z in zones if fqdn == z or fqdn.endswith("." + z)), None)
        if zone and fqdn not in records:
            yield Finding(f"{hc.address}: fqdn {fqdn} is no record of zone {zone}",
                          file=hc.file, line=hc.line)


RULE = Rule("route53.health-check-target", "a health check on a name that does not resolve always fails",
            check)
