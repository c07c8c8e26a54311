"""Just enough PromQL to find which metrics a query reads and which label names it uses.

A scan, not a parser: string literals and range/subquery brackets are skipped; an
identifier followed by ``(`` is a function or aggregation; ``by``/``without``/``on``/
``ignoring``/``group_left``/``group_right`` take a label list; any other identifier is a
metric name, with the label names of its ``{...}`` matchers. Grafana variables (``$x``,
``${x}``) are never names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or",
            "unless", "offset", "atan2", "inf", "nan"}
#: aggregation operators: may be followed by ``by (...)`` before their ``(``
AGGREGATIONS = {"sum", "avg", "min", "max", "count", "group", "stddev", "stdvar", "topk", "bottomk",
                "quantile", "count_values", "limitk", "limit_ratio"}
LABEL_LISTS = {"by", "without", "on", "ignoring", "group_left", "group_right"}
_IDENT = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")
_LABEL = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)")


@dataclass
class Query:
    #: (metric, label names in its matchers)
    selectors: list[tuple[str, list[str]]] = field(default_factory=list)
    #: label names in by/without/on/ignoring/group_* lists
    grouping: list[str] = field(default_factory=list)
    #: the query makes new labels (label_replace/label_join): grouping cannot be judged
    relabels: bool = False


def scan(expr: str) -> Query:
    q = Query()
    i, n = 0, len(expr)
    last_metric: int | None = None
    while i < n:
        c = expr[i]
        if c in "\"'`":
            i = _string_end(expr, i)
            continue
        if c == "$":
            m = re.match(r"\$\{[^}]*\}|\$[A-Za-z0-9_]+", expr[i:])
            i += len(m.group(0)) if m else 1
            continue
        if c == "[":
            end = expr.find("]", i)
            i = n if end < 0 else end + 1
            continue
        if c == "{":
            end = _close(expr, i)
            labels = [m.group(1) for m in _LABEL.finditer(_strip_strings(expr[i + 1:end]))]
            if last_metric is not None:
                q.selectors[last_metric][1].extend(labels)
            i = end + 1
            last_metric = None
            continue
        m = _IDENT.match(expr, i) if (c.isalpha() or c in "_:") and (i == 0 or not (expr[i - 1].isalnum() or expr[i - 1] in "_.")) else None
        if m:
            word = m.group(0)
            j = m.end()
            while j < n and expr[j].isspace():
                j += 1
            if word in LABEL_LISTS and j < n and expr[j] == "(":
                end = expr.find(")", j)
                q.grouping += [w.strip() for w in expr[j + 1:end].split(",")
                               if w.strip() and not w.strip().startswith("$")]
                i = end + 1
                continue
            if j < n and expr[j] == "(":
                q.relabels |= word in ("label_replace", "label_join")
            elif word.lower() not in KEYWORDS and word not in AGGREGATIONS:
                q.selectors.append((word, []))
                last_metric = len(q.selectors) - 1
                i = m.end()
                continue
            i = m.end()
            last_metric = None
            continue
        if not c.isspace():
            last_metric = None
        i += 1
    return q


def _string_end(expr: str, i: int) -> int:
    """The index after the string literal opened at ``i``. A backslash escapes the next
    character in ``"..."`` and ``'...'``; between backticks nothing is escaped."""
    quote, j = expr[i], i + 1
    while j < len(expr) and expr[j] != quote:
        j += 2 if expr[j] == "\\" and quote != "`" else 1
    return j + 1


def _close(expr: str, i: int) -> int:
    """The index of the ``}`` closing the ``{`` at ``i`` (strings skipped), or the end."""
    j = i + 1
    while j < len(expr):
        if expr[j] in "\"'`":
            j = _string_end(expr, j)
        elif expr[j] == "}":
            return j
        else:
            j += 1
    return len(expr)


def _strip_strings(text: str) -> str:
    return re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', text)
