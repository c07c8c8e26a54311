"""pod.secrets-from-secret-refs: credential-named env vars come from a Secret."""

from __future__ import annotations

import re
from typing import Iterator

from mwgen.lint.relations.k8s import containers, get, items
from mwgen.lint.rules.base import Context, Finding, Rule

SECRET_NAME = r"(^|_)(SECRET|PASSWORD|PASSWD|TOKEN|KEY)S?(_|$)"


def check(ctx: Context) -> Iterator[Finding]:
    pattern = re.compile(ctx.options["name_pattern"], re.IGNORECASE)
    for obj in ctx.objects:
        for path, c, _pod in containers(obj):
            for i, var in enumerate(items(c.get("env"))):
                if not isinstance(var, dict) or not pattern.search(str(var.get("name", ""))):
                    continue
                if not get(var, ("valueFrom", "secretKeyRef")):
                    yield Finding(f"env {var.get('name')} looks like a credential but is not "
                                  f"from valueFrom.secretKeyRef", obj, path + ("env", i))


RULE = Rule("pod.secrets-from-secret-refs",
            "credentials in plain env values leak through git, kubectl and logs", check,
            options={"name_pattern": SECRET_NAME})
