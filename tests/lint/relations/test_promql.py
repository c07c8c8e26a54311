"""mwgen.lint.relations.promql: which metrics a query reads, the label names of their
matchers and of its grouping lists; strings, ranges and Grafana variables are never names.
(The one end-to-end query of the module is in test_relations.py.)"""

from __future__ import annotations

import pytest

from mwgen.lint.relations.promql import Query, scan


def selectors(expr: str) -> list[tuple[str, list[str]]]:
    return scan(expr).selectors


def test_every_matcher_operator_names_a_label() -> None:
    assert selectors('up{a="1", b!="2", c=~"3", d!~"4"}') == [("up", ["a", "b", "c", "d"])]
    assert selectors("up{job='single quoted'}") == [("up", ["job"])]
    assert selectors('up {job="x"}') == [("up", ["job"])]  # space before the braces


def test_text_inside_strings_is_neither_a_metric_nor_a_label() -> None:
    assert selectors('up{job="a{b}", path="x=y, z!=w"}') == [("up", ["job", "path"])]
    assert selectors('up{job="a\\"b", le="1"}') == [("up", ["job", "le"])]  # an escaped quote
    assert scan('label_replace(up, "dst", "istio_requests_total", "src", "(.*)")').selectors == [("up", [])]


def test_a_value_ending_in_an_escaped_backslash_closes_its_string() -> None:
    """``"C:\\\\"`` is the text ``C:\\``: its closing quote ends the string, so the
    next selector and its matchers are still seen (and not given to the first)."""
    assert selectors('up{path="C:\\\\"} + errors_total{le="1"}') == [
        ("up", ["path"]), ("errors_total", ["le"])]


def test_a_backslash_in_a_raw_string_escapes_nothing() -> None:
    """PromQL processes no escapes between backticks: `` `\\` `` is one backslash."""
    assert selectors('label_replace(up, "x", `\\`, "a", "b") + errors_total') == [
        ("up", []), ("errors_total", [])]


def test_functions_aggregations_and_keywords_are_not_metrics() -> None:
    assert selectors("sum(rate(http_total[5m])) / count(up)") == [("http_total", []), ("up", [])]
    assert selectors("topk(5, up) and on() absent(down) or x unless y") == [
        ("up", []), ("down", []), ("x", []), ("y", [])]
    assert selectors("up > bool 1 AND Inf") == [("up", [])]  # keywords in any case
    assert selectors("up offset 5m * 1e3") == [("up", [])]  # durations and numbers
    assert selectors("job:http_requests:rate5m") == [("job:http_requests:rate5m", [])]  # recording rule


def test_ranges_and_subqueries_are_skipped() -> None:
    assert selectors("max_over_time(rate(x[5m:1m])[1h:])") == [("x", [])]
    assert selectors("rate(up[$__rate_interval])") == [("up", [])]
    assert selectors("rate(up[5m") == [("up", [])]  # never closed: the rest is the range


def test_grafana_variables_are_never_names() -> None:
    assert selectors("rate(${metric}[5m]) + $other") == []
    assert scan("max without (pod, $v, ${w}) (up)").grouping == ["pod"]
    assert selectors('up{job=~"$job"}') == [("up", ["job"])]


def test_braces_without_a_metric_before_them_belong_to_nobody() -> None:
    assert selectors('{__name__=~"up|down"}') == []
    assert selectors('up + {job="x"}') == [("up", [])]
    assert selectors('up{job="x"') == [("up", ["job"])]  # an unclosed brace ends the query


@pytest.mark.parametrize("expr, grouping", [
    ("sum by (job, instance) (up)", ["job", "instance"]),
    ("sum(up) by (job)", ["job"]),
    ("sum without(pod)(up)", ["pod"]),
    ("a / on(le) group_left(version) b", ["le", "version"]),
    ("a * ignoring(x) group_right() b", ["x"]),
    ("a + on () b", []),
])
def test_grouping_lists(expr: str, grouping: list[str]) -> None:
    assert scan(expr).grouping == grouping


def test_label_replace_and_label_join_make_new_labels() -> None:
    assert scan('label_join(up, "ab", ",", "a", "b")').relabels
    assert scan('label_replace(up, "x", "$1", "job", "(.*)")').relabels
    assert not scan("sum by (job) (up)").relabels
    assert not scan('"label_replace("').relabels  # only a call counts


def test_an_empty_query_reads_nothing() -> None:
    assert scan("") == Query() and scan("   ") == Query()
