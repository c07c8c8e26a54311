"""mwgen.lint.relations.metrics: the label names each known component metric carries
(histogram series included) and which component a metric name belongs to."""

from __future__ import annotations

from mwgen.lint.relations.metrics import METRICS, PREFIXES, SCRAPE_LABELS, component_of, labels_of


def test_a_known_metric_has_its_labels_plus_the_scrape_labels() -> None:
    assert labels_of("flagger_canary_weight") == {"workload", "namespace", "job", "instance"}
    assert labels_of("kube_deployment_status_condition") == {
        "namespace", "deployment", "condition", "status", "job", "instance"}
    istio = labels_of("istio_requests_total")
    assert istio is not None and {"response_code", "destination_workload", "reporter"} <= istio
    assert "response_code" not in (labels_of("istio_tcp_sent_bytes_total") or set())


def test_a_histogram_exports_bucket_sum_and_count_series() -> None:
    base = labels_of("istio_request_duration_milliseconds")
    assert base is not None and "le" not in base
    assert labels_of("istio_request_duration_milliseconds_bucket") == base | {"le"}
    assert labels_of("istio_request_duration_milliseconds_sum") == base
    assert labels_of("istio_request_duration_milliseconds_count") == base
    assert labels_of("argocd_app_reconcile_bucket") == {"namespace", "dest_server", "le", *SCRAPE_LABELS}


def test_a_counter_or_gauge_has_no_histogram_series() -> None:
    assert labels_of("flagger_canary_status_bucket") is None
    assert labels_of("kube_pod_info_count") is None
    assert labels_of("istio_requests_total_sum") is None


def test_an_unknown_metric_has_no_labels_to_check() -> None:
    assert labels_of("up") is None
    assert labels_of("flagger_canary_wieght") is None
    assert labels_of("_bucket") is None


def test_the_project_declares_its_own_metrics_and_may_override_the_table() -> None:
    extra = {"shop_orders_total": ["status"], "flagger_canary_weight": ["target"]}
    assert labels_of("shop_orders_total", extra) == {"status", "job", "instance"}
    assert labels_of("flagger_canary_weight", extra) == {"target", "job", "instance"}
    assert labels_of("shop_orders_total") is None  # only where declared
    assert labels_of("istio_requests_total", extra) == labels_of("istio_requests_total")


def test_component_of_reads_the_name_prefix() -> None:
    assert component_of("flagger_canary_status") == "flagger"
    assert component_of("argocd_app_info") == "argocd"
    assert component_of("istio_nonexistent") == "istio"  # a prefix is enough: an unknown metric of istio
    assert component_of("kube_pod_info") == "kube-state-metrics"
    assert component_of("up") is None and component_of("flaggerx_total") is None


def test_every_table_entry_belongs_to_a_component_and_histograms_are_not_counters() -> None:
    """An entry no prefix claims would never be reported as unknown-by-component."""
    assert all(component_of(name) in PREFIXES for name in METRICS)
    assert not [name for name, (_l, histogram) in METRICS.items() if histogram and name.endswith("_total")]
    assert all(labels and len(set(labels)) == len(labels) for labels, _h in METRICS.values())
