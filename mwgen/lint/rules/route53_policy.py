"""route53.routing-policy: one routing policy per record name and type.

Route 53 rejects a record set whose name and type already exist with another routing
policy, so geolocation records cannot sit beside latency records of the same name.
"""

from __future__ import annotations

from typing import Iterator

from mwgen.lint.relations.terraform import Instance
from mwgen.lint.rules.base import Context, Finding, Rule

POLICIES = ("latency", "geolocation", "geoproximity", "weighted", "failover", "cidr")


def policy(record: Instance) -> str:
    for name in POLICIES:
        if record.blocks(f"{name}_routing_policy"):
            return name
    if record.value("multivalue_answer_routing_policy") is True:
        return "multivalue"
    return "simple"


def check(ctx: Context) -> Iterator[Finding]:
    groups: dict[tuple[str, ...], list[Instance]] = {}
    for rec in ctx.terraform().resources("aws_route53_record"):
        name, rtype = rec.value("name"), rec.value("type")
        if isinstance(name, str) and isinstance(rtype, str):
            key = (rec.env, rec.module, str(rec.raw("zone_id")), name.rstrip(".").lower(), rtype)
            groups.setdefault(key, []).append(rec)
    for (_env, _mod, _zone, name, rtype), records in groups.items():
        first = policy(records[0])
        for rec in records[1:]:
            other = policy(rec)
            if other != first:
                yield Finding(f"{rec.address}: {name} {rtype} mixes {other} routing with {first} "
                              f"routing ({records[0].address})", file=rec.file, line=rec.line)


RULE = Rule("route53.routing-policy", "Route 53 accepts one routing policy per record name and type",
            check)
