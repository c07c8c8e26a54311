"""pdb.selects-serving-pods: a PDB covers pods that actually serve.

With a Flagger Canary the serving pods are ``NAME-primary``'s; the target Deployment's
own pods are scaled to zero between analyses, so a PDB on them protects nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from mwgen.lint.relations.index import namespace_of
from mwgen.lint.relations.k8s import get, mapping
from mwgen.lint.rules.base import Context, Finding, Rule


def check(ctx: Context) -> Iterator[Finding]:
    for index in ctx.targets():
        for pdb in index.of_kind("PodDisruptionBudget"):
            selector = mapping(get(pdb.data, ("spec", "selector")))
            chosen = index.select_by(namespace_of(pdb), selector)
            where = ("spec", "selector")
            if not chosen:
                yield Finding(f"selector matches no pods in namespace {namespace_of(pdb)}", pdb, where)
            elif not any(p.serving for p in chosen):
                serving = [p.name for p in index.pods_in(namespace_of(pdb)) if p.generated
                           and any(q.workload is p.workload for q in chosen)]
                yield Finding(f"selects only {', '.join(p.ident for p in chosen)}, which Flagger "
                              f"scales to zero; the serving pods are {', '.join(serving)}'s", pdb, where)


RULE = Rule("pdb.selects-serving-pods", "a PDB protects only the pods it selects", check)
