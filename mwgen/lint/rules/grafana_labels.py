"""grafana.metric-labels: dashboard queries use metrics and labels that really exist.

Metrics of Flagger, Argo CD, Istio and kube-state-metrics are checked against the cited
table in :mod:`mwgen.lint.relations.metrics`: an unknown metric with one of their prefixes,
or a label the metric does not carry (in a matcher, or in ``by``/``without`` when every
metric of the query is known), is a finding. Options: ``metrics`` (name -> label names)
declares the project's own metrics; ``strict: true`` makes any other metric a finding too.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Iterator

from mwgen.lint.relations.metrics import component_of, labels_of
from mwgen.lint.relations.promql import scan
from mwgen.lint.rules.base import Context, Finding, Rule
from mwgen.lint.tree import KubeObject, OutputFile
from mwgen.lint.yamldocs import Doc


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
    extra = {k: list(v) for k, v in dict(ctx.options["metrics"]).items()}
    strict = bool(ctx.options["strict"])
    for file, prefix, data, locate in dashboards(ctx):
        for path, expr in _exprs(data.get("panels"), ("panels",)):
            for message in dict.fromkeys(problems(expr, extra, strict)):
                line, column = locate(path, expr)
                yield Finding(message, file=file, line=line, column=column, path=prefix + path)


Locate = Callable[[tuple[Any, ...], str], tuple[int, int]]


def dashboards(ctx: Context) -> Iterator[tuple[OutputFile, tuple[Any, ...], dict[str, Any], Locate]]:
    """(file, path prefix, dashboard, where a query is) for every dashboard: ``.json`` files
    (parsed once for all checks) and ConfigMap ``data`` keys ending ``.json`` (read with
    ``json``; a query is located by its text in the block)."""
    for f in ctx.tree.by_suffix(".json"):
        for doc in f.load().docs:
            if _is_dashboard(doc.data):
                yield f, (), doc.data, _in_document(doc)
    for obj in ctx.objects:
        data = obj.data.get("data") if obj.kind == "ConfigMap" else None
        for key, text in (data.items() if isinstance(data, dict) else []):
            if not (isinstance(key, str) and key.endswith(".json") and isinstance(text, str)):
                continue
            try:
                dash = json.loads(text)
            except ValueError:
                continue  # the dashboard checks report it
            if _is_dashboard(dash):
                yield obj.file, ("data", key), dash, _in_block(obj, key, text)


def _in_document(doc: Doc) -> Locate:
    def locate(path: tuple[Any, ...], _expr: str) -> tuple[int, int]:
        return doc.position(path)

    return locate


def _in_block(obj: KubeObject, key: str, text: str) -> Locate:
    start = obj.doc.position(("data", key))[0]

    def locate(_path: tuple[Any, ...], expr: str) -> tuple[int, int]:
        at = text.find(json.dumps(expr))
        if "\n" not in text.rstrip("\n") or at < 0:
            return start, 0
        return start + 1 + text.count("\n", 0, at), 0

    return locate


def _is_dashboard(data: Any) -> bool:
    return isinstance(data, dict) and "panels" in data and "apiVersion" not in data


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
