"""irsa.role: a ServiceAccount's IAM role exists for its target and trusts it.

The annotation ``eks.amazonaws.com/role-arn`` must name an ``aws_iam_role`` the rendered
Terraform creates for the target's environment and region (or globally), and the role's
trust policy (``assume_role_policy``, or the ``aws_iam_policy_document`` it uses) must
name ``system:serviceaccount:NAMESPACE:NAME`` (wildcards as in ``StringLike``). A tree
with no Terraform for the environment (and no global role) is not judged.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator

from mwgen.lint.relations.index import TargetIndex, namespace_of
from mwgen.lint.relations.k8s import get, mapping
from mwgen.lint.relations.terraform import UNKNOWN, Instance, Model, template
from mwgen.lint.rules.base import Context, Finding, Rule

ANNOTATION = "eks.amazonaws.com/role-arn"
ARN = re.compile(r"^arn:aws[\w-]*:iam::[^:]*:role/(?:.*/)?([^/]+)$")
SUBJECT = re.compile(r'"(system:serviceaccount:(?:[^"\\]|\\.)*)"')
POLICY_DOC = re.compile(r"data\.aws_iam_policy_document\.([\w-]+)")


def roles_for(model: Model, index: TargetIndex) -> list[Instance]:
    return [r for r in model.resources("aws_iam_role")
            if not r.env or (r.env == index.env and r.region in (index.region, ""))]


def by_name(roles: list[Instance]) -> dict[object, list[Instance]]:
    out: dict[object, list[Instance]] = {}
    for role in roles:
        name = role.value("name")
        out.setdefault(name if isinstance(name, str) else None, []).append(role)
    return out


def subjects(model: Model, role: Instance) -> list[object]:
    text = str(role.raw("assume_role_policy") or "")
    for name in POLICY_DOC.findall(text):
        doc = model.data("aws_iam_policy_document", name, role.module)
        if doc is not None:
            text += str(doc.body)
    return [template(m.group(1), role.scope) for m in SUBJECT.finditer(text)]


def check(ctx: Context) -> Iterator[Finding]:
    model = ctx.terraform()
    for index in ctx.targets():
        applicable = roles_for(model, index)
        if not applicable and not any(i.env == index.env for i in model.instances):
            continue  # no Terraform for this environment in the tree: nothing to judge by
        roles = by_name(applicable)
        for sa in index.of_kind("ServiceAccount"):
            arn = mapping(get(sa.data, ("metadata", "annotations"))).get(ANNOTATION)
            if not arn:
                continue
            where = ("metadata", "annotations", ANNOTATION)
            m = ARN.match(str(arn))
            if m is None:
                yield Finding(f"{arn!r} is not an IAM role ARN", sa, where)
                continue
            found = roles.get(m.group(1), [])
            if not found:
                unknown = len(roles.get(None, []))
                note = f" ({unknown} role names could not be evaluated)" if unknown else ""
                yield Finding(f"role {m.group(1)!r} is not created by the rendered Terraform for "
                              f"{index.target or 'this tree'}{note}", sa, where)
                continue
            who = f"system:serviceaccount:{namespace_of(sa)}:{sa.name}"
            subs = [s for r in found for s in subjects(model, r)]
            if not any(s is UNKNOWN or (isinstance(s, str) and fnmatch.fnmatchcase(who, s)) for s in subs):
                trusted = ", ".join(str(s) for s in subs) or "no service account"
                yield Finding(f"role {m.group(1)!r} ({found[0].address}) does not trust {who} "
                              f"(trusts {trusted})", sa, where)


RULE = Rule("irsa.role", "a pod cannot assume an IAM role that does not exist or does not trust it",
            check)
