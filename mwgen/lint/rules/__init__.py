"""Lint rules: one module per rule, a registry, and the public way to add rules.

Each module defines ``RULE``, a :class:`~mwgen.lint.rules.base.Rule` (id, why, default
severity, waivable, options, ``check``). :func:`builtin_rules` lists mwgen's own;
:func:`project_rules` adds the ``RULES`` of the project's extension file
(``extensions:`` in ``mwgen.yaml``) and of each rule pack (``lint.packs``: Python files
with ``RULES``, a bare name meaning ``lint_rules/NAME.py``). A project rule is written
exactly like a built-in one::

    from mwgen.lint.rules import Context, Finding, Rule

    def check(ctx: Context):
        for obj in ctx.objects:
            if obj.kind == "ConfigMap" and not obj.namespace:
                yield Finding("ConfigMap without a namespace", obj, ("metadata",))

    RULES = [Rule("acme.configmap-namespace", "everything lives in a team namespace", check)]
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from mwgen.lint.rules.base import SEVERITIES, Context, Finding, Rule

if TYPE_CHECKING:
    from mwgen.config import ProjectConfig

__all__ = ["Rule", "Finding", "Context", "SEVERITIES", "builtin_rules", "project_rules"]

#: built-in rule modules, in report order
MODULES = (
    # one object at a time
    "run_as_non_root", "drop_capabilities", "no_privilege_escalation", "read_only_root_fs",
    "requests_limits", "probes", "image_pinned", "secret_env", "hpa_range", "canary_weights",
    "waiver",
    # between objects of a target
    "pdb_disruption", "service_selector", "service_ports", "hpa_target", "pdb_selector",
    "canary_refs", "canary_metric_template", "istio_host", "istio_subset", "istio_gateway",
    "pod_references",
    # between formats: Terraform, Argo CD, Grafana
    "scheduling", "irsa", "route53_policy", "route53_health", "argocd_path", "argocd_project",
    "argocd_retry", "gitops_replicas", "gitops_flagger", "grafana_labels",
)


def builtin_rules() -> list[Rule]:
    return [importlib.import_module(f"mwgen.lint.rules.{m}").RULE for m in MODULES]


def project_rules(root: Path, config: "ProjectConfig") -> list[Rule]:
    """Built-in rules, then the extension file's, then each pack's."""
    from mwgen.errors import InputError
    from mwgen.extensions import load_extensions

    rules = builtin_rules()
    rules += list(load_extensions(root, config.extensions).rules)
    for i, pack in enumerate(config.lint_packs):
        rel = pack if pack.endswith(".py") else f"lint_rules/{pack}.py"
        if not (root / rel).is_file() or ".." in Path(rel).parts or Path(rel).is_absolute():
            raise InputError(file="mwgen.yaml", path=f"lint.packs[{i}]",
                             message=f"no rule pack {rel} in the project")
        rules += list(load_extensions(root, rel).rules)
    return rules
