"""grafana.metric-labels: dashboard queries use metrics and labels that really exist.

Metrics of Flagger, Argo CD, Istio and kube-state-metrics are checked against the cited
table in :mod:`mwgen.lint.relations.metrics`: an unknown metric with one of their prefixes,
or a label the metric does not carry (in a matcher, or in ``by``/``without`` when every
metric of the query is known), is a finding. Options: ``metrics`` (name -> label names)
declares the project's own metrics; ``strict: true`` makes any other metric a finding too.
"""

from __future__ import annotations

from typing import Any, Iterator

from mwgen.lint.relations.metrics import component_of, labels_of
from mwgen.lint.relations.promql import scan
from mwgen.lint.rules.base import Context, Finding, Rule


def problems(expr: str, extra: dict[str, list[str]], strict: bool) -> Iterator[str]:
    q = scan(expr)
    union: set[str] = set()
    all_known = True
    for metric, labels in q.selectors:
        known = labels_of(metric, extra)
        if known is None:
            all_known = False
            comp = component_of(metric)
            if comp or strict:
                source = f"{comp} exports no metric" if comp else "no component in the table exports"
                yield f"{source} {metric!r}"
            continue
        union |= known
        for label in labels:
            if label not in known:
                yield f"{metric} has no label {label!r} (it has: {', '.join(sorted(known))})"
    if all_known and q.selectors and not q.relabels:
        for label in q.grouping:
            if label not in union:
                yield f"grouping by {label!r}, a label none of {', '.join(m for m, _ in q.selectors)} has"


def check(ctx: Context) -> Iterator[Finding]:
    from mwgen.lint.grafana import dashboards

    extra = {k: list(v) for k, v in dict(ctx.options["metrics"]).items()}
    for dash in dashboards(ctx.tree):
        for path, expr in _exprs(dash.doc.data.get("panels"), ("panels",)):
            for message in dict.fromkeys(problems(expr, extra, bool(ctx.options["strict"]))):
                line, column = dash.position(path)
                yield Finding(message, file=dash.file, line=line, column=column, path=dash.prefix + path)


def _exprs(panels: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    for i, panel in enumerate(panels if isinstance(panels, list) else []):
        if not isinstance(panel, dict):
            continue
        for j, target in enumerate(panel.get("targets") or []):
            if isinstance(target, dict) and isinstance(target.get("expr"), str):
                yield path + (i, "targets", j, "expr"), target["expr"]
        yield from _exprs(panel.get("panels"), path + (i, "panels"))


RULE = Rule("grafana.metric-labels", "a panel querying a metric or label nobody exports shows no data",
            check, options={"metrics": {}, "strict": False})
