"""Grafana dashboards: schema (relaxed only where documented) and panel sanity checks."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from mwgen.lint import grafana
from mwgen.lint.tree import OutputTree

CASES = Path(__file__).parent / "cases" / "grafana"
GOOD = json.loads((CASES / "dashboard-good.json").read_text())
DASH = "output/grafana/production/us-east-1/overview.json"


def findings(root: Path) -> list[tuple[int, str, str, str]]:
    return sorted((p.line, p.path, p.rule, p.message) for p in grafana.check(OutputTree.scan(root)))


def dashboard(make_project, data: dict) -> list[tuple[int, str, str, str]]:
    return findings(make_project({DASH: json.dumps(data, indent=2)}))


def test_good_dashboards_pass_plain_and_embedded(make_project, schema_source: str) -> None:
    root = make_project({DASH: json.dumps(GOOD, indent=2),
                         "output/grafana/production/us-east-1/cm.yaml": (CASES / "configmap-good.yaml").read_text()})
    assert findings(root) == []
    assert len(grafana.dashboards(OutputTree.scan(root))) == 2


def test_bad_configmap_dashboard_schema_findings_with_lines(make_project, schema_source: str) -> None:
    """Grafana's own schema (upstream) and mwgen's find the same four mistakes."""
    root = make_project({"output/grafana/production/us-east-1/cm.yaml": (CASES / "configmap-bad.yaml").read_text()})
    schema = [(line, path, msg) for line, path, rule, msg in findings(root) if rule == "dashboard-schema"]
    assert schema == [
        (10, "data['ledger-jobs.json']", "'schemaVersion' is a required property"),
        (10, "data['ledger-jobs.json']", "Additional properties are not allowed ('titel' was unexpected)"),
        (20, "data['ledger-jobs.json'].panels[0].gridPos.w", "'24' is not of type 'integer'"),
        (26, "data['ledger-jobs.json'].panels[1].type", "'' should be non-empty"),
    ]


def test_embedded_json_that_does_not_parse(make_project) -> None:
    cm = ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\ndata:\n"
          "  d.json: |\n    {\"panels\": [}\n")
    root = make_project({"output/grafana/production/us-east-1/cm.yaml": cm})
    ((line, path, rule, msg),) = findings(root)
    assert (line, path, rule) == (6, "data['d.json']", "dashboard-schema")
    assert msg.startswith("ConfigMap/d: embedded invalid JSON")


@pytest.mark.parametrize("breakage, rule, path, message", [
    (lambda d: d["panels"][1].update(id=1), "dashboard-panel-id", "panels[1].id",
     "panel id 1 is also used by panels[0]"),
    (lambda d: d["panels"][1]["gridPos"].update(y=0), "dashboard-grid", "panels[1].gridPos",
     "panel overlaps panels[0] on the grid"),
    (lambda d: d["panels"][1]["targets"][0].pop("expr"), "dashboard-query", "panels[1].targets[0]",
     "target has no query (expr)"),
    (lambda d: d["panels"][1].pop("targets"), "dashboard-query", "panels[1]",
     "panel 'gRPC requests' has no targets (no query)"),
    (lambda d: d["panels"][1].pop("datasource"), "dashboard-datasource", "panels[1].targets[0]",
     "no datasource on the target or its panel"),
    (lambda d: d.pop("schemaVersion"), "dashboard-schema", "(root)",
     "'schemaVersion' is a required property"),
])
def test_each_check_catches_its_breakage(make_project, schema_source: str, breakage, rule, path,
                                         message) -> None:
    data = copy.deepcopy(GOOD)
    breakage(data)
    assert [(p, r, m) for _line, p, r, m in dashboard(make_project, data)] == [(path, rule, message)]


def test_datasource_on_every_target_is_enough(make_project) -> None:
    data = copy.deepcopy(GOOD)
    data["panels"][1]["targets"][0]["datasource"] = data["panels"][1].pop("datasource")
    assert dashboard(make_project, data) == []


def test_relaxed_spots_accept_what_grafana_accepts(make_project, schema_source: str) -> None:
    data = copy.deepcopy(GOOD)
    data["templating"] = {"list": [{"name": "ns", "type": "query", "current": {},
                                    "query": {"query": "label_values(ns)", "refId": "A"}}]}
    assert dashboard(make_project, data) == []


def test_a_typo_is_still_caught(make_project, schema_source: str) -> None:
    data = copy.deepcopy(GOOD)
    data["panels"][1]["titel"] = "x"
    ((_line, path, rule, msg),) = dashboard(make_project, data)
    assert (path, rule) == ("panels[1]", "dashboard-schema")
    assert "'titel' was unexpected" in msg
