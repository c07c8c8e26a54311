"""pod.secrets-from-secret-refs: credential-named env vars come from a Secret.

Names and values are judged by :mod:`mwgen.secrets`, the same detector ``mwgen
validate`` runs on values (``DB_PASS``, ``dbPassword`` and a token under any name are
caught alike). ``name_pattern`` replaces the name test with a project's own regex.
"""

from __future__ import annotations

import re
from typing import Iterator

from mwgen.lint.relations.k8s import containers, get, items
from mwgen.lint.rules.base import Context, Finding, Rule
from mwgen.secrets import is_secret_name, secret_material


def check(ctx: Context) -> Iterator[Finding]:
    custom = ctx.options["name_pattern"]
    pattern = re.compile(custom, re.IGNORECASE) if custom else None
    for obj in ctx.objects:
        for path, c, _pod in containers(obj):
            for i, var in enumerate(items(c.get("env"))):
                if not isinstance(var, dict) or get(var, ("valueFrom", "secretKeyRef")):
                    continue
                name = str(var.get("name", ""))
                value = var.get("value")
                material = secret_material(value) if isinstance(value, str) else ""
                if material:
                    yield Finding(f"env {name} holds what looks like {material}; take it from "
                                  "valueFrom.secretKeyRef", obj, path + ("env", i))
                elif pattern.search(name) if pattern else is_secret_name(name):
                    yield Finding(f"env {name} looks like a credential but is not "
                                  f"from valueFrom.secretKeyRef", obj, path + ("env", i))


RULE = Rule("pod.secrets-from-secret-refs",
            "credentials in plain env values leak through git, kubectl and logs", check,
            options={"name_pattern": ""})
