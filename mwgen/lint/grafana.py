"""Grafana dashboards, plain ``.json`` or embedded in a ConfigMap: schema and sanity.

A dashboard that Grafana loads can still be broken in ways it never reports: two panels
with one id (one silently replaces the other), panels stacked on the same grid cells, a
target without a query, a panel with no datasource. Those are checked here, after
a dashboard JSON Schema: Grafana's own (grafana-foundation-sdk's
``dashboard.jsonschema.json``, from a local schema folder or ``mwgen schemas fetch``),
relaxed only where the team's reference notes show it is narrower than Grafana; else
mwgen's own structural schema (see :mod:`mwgen.schemastore`).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Iterator

from mwgen.errors import MwgenError, Problem, format_path
from mwgen.lint.schemaerrors import findings
from mwgen.lint.tree import KubeObject, OutputFile, OutputTree
from mwgen.lint.yamldocs import Doc, find_node, load_json
from mwgen.schemastore import SchemaStore, store_for

SCHEMA_RULE = "dashboard-schema"
ID_RULE = "dashboard-panel-id"
GRID_RULE = "dashboard-grid"
QUERY_RULE = "dashboard-query"
DATASOURCE_RULE = "dashboard-datasource"

#: (definition, property, keep "type: array") opened to any value: where Grafana accepts (and
#: exports) more than the generated upstream schema says; mwgen's own schema is written open there.
RELAXATIONS = (
    ("VariableModel", "query", False),
    ("MatcherConfig", "options", False),
    ("DynamicConfigValue", "value", False),
    ("FieldConfig", "links", True),
)
#: panel types that show no query results, so need no targets or datasource
NO_QUERY_PANELS = {"row", "text", "news", "dashlist", "welcome"}


@dataclass
class Dashboard:
    """One dashboard: its document, where it sits, and the path prefix inside the file."""

    file: OutputFile
    doc: Doc
    prefix: tuple[Any, ...] = ()
    #: line to report when the document has no positions (a quoted embedded string)
    line: int = 0

    def position(self, path: tuple[Any, ...]) -> tuple[int, int]:
        line, col = self.doc.position(path)
        return (line, col) if line else (self.line, 0)


def relaxed_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The shipped schema with exactly the :data:`RELAXATIONS` applied."""
    schema = copy.deepcopy(schema)
    defs = schema.get("definitions", {})
    for name, prop, keep_array in RELAXATIONS:
        props = defs.get(name, {}).get("properties", {})
        if prop in props:
            opened: dict[str, Any] = {"description": props[prop].get("description", "")}
            if keep_array:
                opened["type"] = "array"
            props[prop] = opened
    defs.get("VariableOption", {}).pop("required", None)
    return schema


def dashboards(tree: OutputTree) -> list[Dashboard]:
    """Every dashboard in the tree (parse errors of embedded JSON are reported by check)."""
    return [d for d in _find(tree) if isinstance(d, Dashboard)]


def check(tree: OutputTree, objects: list[KubeObject] | None = None, *,
          store: SchemaStore | None = None) -> list[Problem]:
    """Schema and sanity findings of every dashboard in ``tree``."""
    validator = None
    problems: list[Problem] = []
    for item in _find(tree):
        if isinstance(item, Problem):
            problems.append(item)
            continue
        if validator is None:
            validator = load_validator(store or store_for(tree.root))
        problems.extend(_check_one(tree, item, validator))
    return problems


def load_validator(store: SchemaStore) -> Any:
    """A draft-07 validator of the first dashboard schema along the search order."""
    import jsonschema

    found = store.dashboard()
    if found is None:  # mwgen's own schema ships in the package
        raise MwgenError("mwgen lint: no Grafana dashboard schema found; reinstall mwgen")
    schema = relaxed_schema(json.loads(found.path.read_text(encoding="utf-8")))
    return jsonschema.Draft7Validator(schema)


def _find(tree: OutputTree) -> Iterator[Dashboard | Problem]:
    for f in tree.by_suffix(".json"):
        for doc in f.load().docs:
            if _looks_like_dashboard(doc.data):
                yield Dashboard(f, doc)
    for obj in tree.kube_objects():
        if obj.kind != "ConfigMap" or not isinstance(obj.data.get("data"), dict):
            continue
        for key, value in obj.data["data"].items():
            if isinstance(key, str) and key.endswith(".json") and isinstance(value, str):
                yield from _embedded(tree, obj, key, value)


def _embedded(tree: OutputTree, obj: KubeObject, key: str,
              value: str) -> Iterator[Dashboard | Problem]:
    node = find_node(obj.doc.node, ("data", key)) if obj.doc.node is not None else None
    key_line = obj.doc.position(("data", key), key=True)[0]
    block = node is not None and getattr(node, "style", None) in ("|", ">")
    offset = node.start_mark.line + 1 + obj.doc.line_offset if block and node else 0
    loaded = load_json(value, line_offset=offset)
    for line, _col, msg in loaded.errors:
        yield tree.problem(obj.file, f"{obj.ident}: embedded {msg}", line=line if block else key_line,
                           path=format_path(("data", key)), rule=SCHEMA_RULE)
    for doc in loaded.docs:
        if not block:
            doc.node = None
        if _looks_like_dashboard(doc.data):
            yield Dashboard(obj.file, doc, prefix=("data", key), line=key_line)


def _looks_like_dashboard(data: Any) -> bool:
    return isinstance(data, dict) and "panels" in data and "apiVersion" not in data


def _check_one(tree: OutputTree, dash: Dashboard, validator: Any) -> list[Problem]:
    out: list[tuple[tuple[Any, ...], str, str]] = []
    for f in findings(validator, dash.doc.data):
        out.append((f.path, f.message, SCHEMA_RULE))
    out.extend(_panel_problems(dash.doc.data))
    problems = []
    for path, message, rule in out:
        line, col = dash.position(path)
        problems.append(tree.problem(dash.file, message, line=line, column=col,
                                     path=format_path(dash.prefix + path) or "(root)", rule=rule))
    return problems


def _panel_problems(data: dict[str, Any]) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    levels = list(_levels(data.get("panels"), ("panels",)))
    seen: dict[Any, tuple[Any, ...]] = {}
    for panels in levels:
        for path, panel in panels:
            pid = panel.get("id")
            if isinstance(pid, int) and not isinstance(pid, bool):
                if pid in seen:
                    yield (path + ("id",), f"panel id {pid} is also used by "
                                           f"{format_path(seen[pid])}", ID_RULE)
                else:
                    seen[pid] = path
            yield from _query_problems(path, panel)
        yield from _overlaps(panels)


def _levels(panels: Any, path: tuple[Any, ...]) -> Iterator[list[tuple[tuple[Any, ...], dict]]]:
    """Top-level panels, then the panels inside each (collapsed) row, as separate grids."""
    if not isinstance(panels, list):
        return
    level = [(path + (i,), p) for i, p in enumerate(panels) if isinstance(p, dict)]
    yield level
    for p_path, panel in level:
        if panel.get("type") == "row" and panel.get("panels"):
            yield from _levels(panel["panels"], p_path + ("panels",))


def _query_problems(path: tuple[Any, ...], panel: dict) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    if panel.get("type") in NO_QUERY_PANELS:
        return
    targets = panel.get("targets")
    if not isinstance(targets, list) or not targets:
        yield (path, f"panel {panel.get('title', '')!r} has no targets (no query)", QUERY_RULE)
        return
    for i, target in enumerate(targets):
        if not isinstance(target, dict):
            continue
        expr = target.get("expr")
        if not isinstance(expr, str) or not expr.strip():
            yield (path + ("targets", i), "target has no query (expr)", QUERY_RULE)
        if not panel.get("datasource") and not target.get("datasource"):
            yield (path + ("targets", i), "no datasource on the target or its panel",
                   DATASOURCE_RULE)


def _overlaps(panels: list[tuple[tuple[Any, ...], dict]]) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    boxes = []
    for path, panel in panels:
        g = panel.get("gridPos")
        if isinstance(g, dict) and all(isinstance(g.get(k), int) for k in "xywh"):
            boxes.append((path, g["x"], g["y"], g["w"], g["h"]))
    for (pa, xa, ya, wa, ha), (pb, xb, yb, wb, hb) in combinations(boxes, 2):
        if xa < xb + wb and xb < xa + wa and ya < yb + hb and yb < ya + ha:
            yield (pb + ("gridPos",), f"panel overlaps {format_path(pa)} on the grid", GRID_RULE)
