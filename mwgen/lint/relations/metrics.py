"""Metrics the platform's components export, with their label names.

Written from each project's own source or reference (facts, not copies); keep in step
when a component is upgraded. Histograms also export ``_bucket`` (with ``le``), ``_sum``
and ``_count``. Prometheus adds ``job`` and ``instance`` to every scraped series.

- Flagger: ``pkg/metrics/recorder.go`` in github.com/fluxcd/flagger (NewRecorder: the
  label names of each GaugeVec/HistogramVec/CounterVec); ``flagger_`` is its Subsystem.
- Argo CD: ``controller/metrics/metrics.go`` in github.com/argoproj/argo-cd
  (``descAppDefaultLabels`` = namespace, name, project, plus each metric's own), and
  docs/operator-manual/metrics.md.
- Istio: "Istio Standard Metrics", https://istio.io/latest/docs/reference/config/metrics/
  (metrics and the label list shared by all of them).
- kube-state-metrics: ``docs/metrics/workload/*.md`` in
  github.com/kubernetes/kube-state-metrics (deployment, pod, horizontalpodautoscaler,
  poddisruptionbudget metric tables).
"""

from __future__ import annotations

_ARGO_APP = ("namespace", "name", "project")
_ISTIO = ("reporter", "source_workload", "source_workload_namespace", "source_principal",
          "source_app", "source_version", "source_cluster", "source_canonical_service",
          "source_canonical_revision", "destination_workload", "destination_workload_namespace",
          "destination_principal", "destination_app", "destination_version", "destination_service",
          "destination_service_name", "destination_service_namespace", "destination_cluster",
          "destination_canonical_service", "destination_canonical_revision", "request_protocol",
          "connection_security_policy")
_ISTIO_HTTP = _ISTIO + ("response_code", "grpc_response_status", "response_flags")
_KSM_DEPLOY = ("namespace", "deployment")
_KSM_POD = ("namespace", "pod", "uid")
_KSM_HPA = ("namespace", "horizontalpodautoscaler")
_KSM_PDB = ("namespace", "poddisruptionbudget")

#: component -> metric name prefix that marks its metrics
PREFIXES = {"flagger": "flagger_", "argocd": "argocd_", "istio": "istio_", "kube-state-metrics": "kube_"}

#: metric -> (label names, is a histogram)
METRICS: dict[str, tuple[tuple[str, ...], bool]] = {
    # Flagger
    "flagger_info": (("version", "mesh_provider"), False),
    "flagger_canary_duration_seconds": (("name", "namespace"), True),
    "flagger_canary_total": (("namespace",), False),
    "flagger_canary_status": (("name", "namespace"), False),
    "flagger_canary_weight": (("workload", "namespace"), False),
    "flagger_canary_metric_analysis": (("name", "namespace", "metric"), False),
    "flagger_canary_successes_total": (("name", "namespace", "deployment_strategy", "analysis_status"), False),
    "flagger_canary_failures_total": (("name", "namespace", "deployment_strategy", "analysis_status"), False),
    # Argo CD application controller
    "argocd_app_info": (_ARGO_APP + ("autosync_enabled", "repo", "dest_server", "dest_namespace",
                                     "sync_status", "health_status", "operation"), False),
    "argocd_app_sync_total": (_ARGO_APP + ("dest_server", "phase", "dry_run"), False),
    "argocd_app_sync_duration_seconds_total": (_ARGO_APP + ("dest_server",), False),
    "argocd_app_k8s_request_total": (_ARGO_APP + ("server", "response_code", "verb", "resource_kind",
                                                  "resource_namespace", "dry_run"), False),
    "argocd_app_reconcile": (("namespace", "dest_server"), True),
    # Istio standard metrics
    "istio_requests_total": (_ISTIO_HTTP, False),
    "istio_request_duration_milliseconds": (_ISTIO_HTTP, True),
    "istio_request_bytes": (_ISTIO_HTTP, True),
    "istio_response_bytes": (_ISTIO_HTTP, True),
    "istio_request_messages_total": (_ISTIO_HTTP, False),
    "istio_response_messages_total": (_ISTIO_HTTP, False),
    "istio_tcp_sent_bytes_total": (_ISTIO + ("response_flags",), False),
    "istio_tcp_received_bytes_total": (_ISTIO + ("response_flags",), False),
    "istio_tcp_connections_opened_total": (_ISTIO + ("response_flags",), False),
    "istio_tcp_connections_closed_total": (_ISTIO + ("response_flags",), False),
    # kube-state-metrics
    **{f"kube_deployment_{m}": (_KSM_DEPLOY, False) for m in (
        "status_replicas", "status_replicas_available", "status_replicas_unavailable",
        "status_replicas_updated", "status_replicas_ready", "status_observed_generation",
        "spec_replicas", "spec_paused", "metadata_generation", "created",
        "spec_strategy_rollingupdate_max_unavailable", "spec_strategy_rollingupdate_max_surge")},
    "kube_deployment_status_condition": (_KSM_DEPLOY + ("condition", "status"), False),
    "kube_pod_info": (_KSM_POD + ("host_ip", "pod_ip", "node", "created_by_kind", "created_by_name",
                                  "priority_class", "host_network"), False),
    "kube_pod_status_phase": (_KSM_POD + ("phase",), False),
    "kube_pod_status_ready": (_KSM_POD + ("condition",), False),
    "kube_pod_container_status_restarts_total": (_KSM_POD + ("container",), False),
    "kube_pod_container_status_ready": (_KSM_POD + ("container",), False),
    "kube_pod_container_resource_requests": (_KSM_POD + ("container", "node", "resource", "unit"), False),
    "kube_pod_container_resource_limits": (_KSM_POD + ("container", "node", "resource", "unit"), False),
    **{f"kube_horizontalpodautoscaler_{m}": (_KSM_HPA, False) for m in (
        "spec_max_replicas", "spec_min_replicas", "status_current_replicas", "status_desired_replicas")},
    **{f"kube_poddisruptionbudget_{m}": (_KSM_PDB, False) for m in (
        "status_current_healthy", "status_desired_healthy", "status_pod_disruptions_allowed",
        "status_expected_pods")},
}

SCRAPE_LABELS = ("job", "instance")


def labels_of(metric: str, extra: dict[str, list[str]] | None = None) -> set[str] | None:
    """The label names ``metric`` carries, or None when it is not in the table."""
    extra = extra or {}
    if metric in extra:
        return set(extra[metric]) | set(SCRAPE_LABELS)
    if metric in METRICS:
        return set(METRICS[metric][0]) | set(SCRAPE_LABELS)
    for suffix, add in (("_bucket", {"le"}), ("_sum", set()), ("_count", set())):
        base = metric[: -len(suffix)] if metric.endswith(suffix) else None
        if base and base in METRICS and METRICS[base][1]:
            return set(METRICS[base][0]) | set(SCRAPE_LABELS) | add
    return None


def component_of(metric: str) -> str | None:
    return next((c for c, p in PREFIXES.items() if metric.startswith(p)), None)
