"""grafana.metric-labels: dashboard queries use metrics and labels their exporters have."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mwgen.lint.rules.grafana_labels import RULE, problems
from tests.lint.rules.kit import check, line_of, obj, project, run, where

DASH = "output/grafana/production/us-east-1/web.json"
CM = "output/grafana/production/us-east-1/web.yaml"


def dashboard(*exprs: str, nested: tuple[str, ...] = ()) -> dict[str, Any]:
    panels: list[dict[str, Any]] = [{"id": i, "targets": [{"refId": "A", "expr": e}]} for i, e in enumerate(exprs)]
    if nested:
        panels.append({"id": 99, "type": "row", "panels": [{"id": 100, "targets": [{"expr": e} for e in nested]}]})
    return {"title": "web", "panels": panels}


def test_problems_of_known_metrics_and_labels() -> None:
    assert list(problems('sum by (workload) (flagger_canary_weight{namespace="shop"})', {}, False)) == []
    assert list(problems('flagger_canary_weight{name="web"}', {}, False)) == [
        "flagger_canary_weight has no label 'name' (it has: instance, job, namespace, workload)"]
    assert list(problems("sum by (name) (flagger_canary_weight)", {}, False)) == [
        "grouping by 'name', a label none of flagger_canary_weight has"]
    assert list(problems("istio_request_total", {}, False)) == ["istio exports no metric 'istio_request_total'"]


def test_unknown_metrics_only_count_when_strict() -> None:
    assert list(problems("sum by (route) (http_requests_total)", {}, False)) == []
    assert list(problems("http_requests_total", {}, True)) == [
        "no component in the table exports 'http_requests_total'"]
    assert list(problems('http_requests_total{route="/"}', {"http_requests_total": ["route"]}, True)) == []
    assert list(problems('http_requests_total{code="500"}', {"http_requests_total": ["route"]}, True)) == [
        "http_requests_total has no label 'code' (it has: instance, job, route)"]


def test_grouping_is_not_judged_when_a_metric_is_unknown_or_labels_are_made() -> None:
    assert list(problems("sum by (zone) (flagger_canary_weight * on (namespace) my_metric)", {}, False)) == []
    assert list(problems('sum by (x) (label_replace(flagger_canary_weight, "x", "$1", "workload", "(.*)"))',
                         {}, False)) == []


def test_a_good_dashboard_passes(tmp_path: Path) -> None:
    files = {DASH: json.dumps(dashboard("sum by (workload) (flagger_canary_weight)", "up"))}
    assert run(RULE, tmp_path, files) == []


def test_a_finding_is_located_at_the_query_in_the_json_file(tmp_path: Path) -> None:
    text = json.dumps(dashboard("up", nested=("flagger_canary_weight{name=\"web\"}",)), indent=2)
    root = project(tmp_path, {DASH: text})
    found = check(RULE, root)
    assert [(h.file, h.path, h.subject) for h in found] == [(DASH, "panels[1].panels[0].targets[0].expr", "")]
    assert found[0].message.startswith("flagger_canary_weight has no label 'name'")
    assert found[0].line == line_of(root, DASH, "flagger_canary_weight")


def test_a_message_is_reported_once_per_query(tmp_path: Path) -> None:
    files = {DASH: json.dumps(dashboard("istio_request_total + istio_request_total"))}
    assert [h.message for h in run(RULE, tmp_path, files)] == ["istio exports no metric 'istio_request_total'"]


def test_options_metrics_and_strict(tmp_path: Path) -> None:
    files = {DASH: json.dumps(dashboard('shop_orders_total{shop="x"}'))}
    assert run(RULE, tmp_path, files) == []
    assert len(run(RULE, tmp_path, files, strict=True)) == 1
    assert run(RULE, tmp_path, files, strict=True, metrics={"shop_orders_total": ["shop"]}) == []
    assert [h.message for h in run(RULE, tmp_path, files, metrics={"shop_orders_total": ["store"]})] == [
        "shop_orders_total has no label 'shop' (it has: instance, job, store)"]


def test_a_dashboard_in_a_configmap_is_checked_under_its_data_key(tmp_path: Path) -> None:
    text = json.dumps(dashboard("up", "istio_request_total"), indent=2)
    found = run(RULE, tmp_path, {CM: [obj("ConfigMap", "web-dashboard", ns="monitoring", data={"web.json": text}),
                                      obj("ConfigMap", "other", data={"x.json": "{not json", "y.txt": "panels"})]})
    assert [(h.file, h.path, h.message) for h in found] == [
        (CM, "data['web.json'].panels[1].targets[0].expr", "istio exports no metric 'istio_request_total'")]


def test_json_that_is_no_dashboard_is_ignored(tmp_path: Path) -> None:
    files = {DASH: json.dumps({"apiVersion": "v1", "panels": [{"targets": [{"expr": "istio_nope"}]}]})}
    assert where(run(RULE, tmp_path, files)) == []
