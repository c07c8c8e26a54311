"""Run lint rules on a throw-away project and get their findings as plain tuples."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from mwgen.config import load_config
from mwgen.lint.rules import builtin_rules, project_rules
from mwgen.lint.rules.engine import run
from mwgen.lint.tree import OutputTree


def findings(root: Path, only: Iterable[str] | None = None) -> list[tuple[str, str, str]]:
    """(rule, path, message) of every finding of the project's rules (or only ``only``)."""
    config = load_config(root)
    rules = project_rules(root, config)
    if only is not None:
        wanted = set(only) | {"waiver.has-reason"}
        rules = [r for r in rules if r.id in wanted]
    tree = OutputTree.scan(root)
    return sorted((p.rule, p.path, p.message) for p in run(tree, tree.kube_objects(), config, rules))


def rule_ids() -> list[str]:
    return [r.id for r in builtin_rules()]
