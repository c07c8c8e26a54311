"""mwgen.lint.relations.k8s: safe lookups into object data, where each workload kind keeps
its pod spec and pod labels, and how label selectors match."""

from __future__ import annotations

import pytest

from mwgen.lint.relations.k8s import (
    LONG_RUNNING,
    POD_SPEC,
    containers,
    get,
    items,
    label_selector_matches,
    mapping,
    pod_labels,
    pod_spec,
    pod_spec_path,
    selects,
)
from tests.lint.relations.kit import kube, meta

POD = {"metadata": {"labels": {"app": "web"}},
       "spec": {"initContainers": [{"name": "init"}],
                "containers": [{"name": "app"}, "not a container", {"name": "sidecar"}]}}


def test_get_walks_mappings_and_list_indexes_and_stops_at_none() -> None:
    data = {"spec": {"ports": [{"port": 80}, {"port": 443}]}}
    assert get(data, ("spec", "ports", 1, "port")) == 443
    assert get(data, ("spec", "ports", 2, "port")) is None  # past the end
    assert get(data, ("spec", "ports", -1)) is None  # no negative indexes
    assert get(data, ("spec", "ports", "0")) is None  # a list is indexed by int only
    assert get(data, ("spec", "missing", "deeper")) is None
    assert get("a scalar", ("spec",)) is None
    assert get(data, ()) is data


def test_mapping_and_items_replace_a_wrong_type_by_an_empty_one() -> None:
    assert mapping({"a": 1}) == {"a": 1}
    assert [mapping(v) for v in (None, [1], "x", 7)] == [{}, {}, {}, {}]
    assert items([1, 2]) == [1, 2]
    assert [items(v) for v in (None, {"a": 1}, "ab", 7)] == [[], [], [], []]


@pytest.mark.parametrize("kind, wrap", [
    ("Deployment", lambda pod: {"spec": {"template": pod}}),
    ("StatefulSet", lambda pod: {"spec": {"template": pod}}),
    ("DaemonSet", lambda pod: {"spec": {"template": pod}}),
    ("ReplicaSet", lambda pod: {"spec": {"template": pod}}),
    ("Job", lambda pod: {"spec": {"template": pod}}),
    ("CronJob", lambda pod: {"spec": {"jobTemplate": {"spec": {"template": pod}}}}),
    ("Pod", lambda pod: pod),
])
def test_each_workload_kind_has_its_pod_spec_and_labels_where_kubernetes_keeps_them(kind, wrap) -> None:
    obj = kube({"apiVersion": "x", "kind": kind, **wrap(POD)})
    assert pod_spec(obj) == POD["spec"]
    assert pod_labels(obj) == {"app": "web"}
    assert pod_spec_path(obj) == POD_SPEC[kind]
    assert get(obj.data, POD_SPEC[kind]) == POD["spec"]


def test_a_kind_without_pods_has_no_pod_spec_labels_or_containers() -> None:
    svc = kube(meta("Service", "web", spec={"template": POD}))
    assert pod_spec_path(svc) is None and pod_spec(svc) is None
    assert pod_labels(svc) == {} and list(containers(svc)) == []


def test_a_pod_spec_of_the_wrong_type_is_no_pod_spec() -> None:
    obj = kube({"kind": "Deployment", "spec": {"template": {"spec": ["not", "a", "mapping"]}}})
    assert pod_spec(obj) is None and list(containers(obj)) == []
    assert pod_labels(kube({"kind": "Deployment", "spec": {"template": {"metadata": {"labels": "x"}}}})) == {}


def test_containers_yields_init_containers_first_with_their_paths() -> None:
    obj = kube({"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": POD}}}})
    base = POD_SPEC["CronJob"]
    found = [(path, c["name"]) for path, c, pod in containers(obj)]
    assert found == [(base + ("initContainers", 0), "init"), (base + ("containers", 0), "app"),
                     (base + ("containers", 2), "sidecar")]  # the string at index 1 is skipped
    assert all(pod == POD["spec"] for _p, _c, pod in containers(obj))
    assert [c["name"] for _p, c, _pod in containers(obj, init=False)] == ["app", "sidecar"]


def test_long_running_kinds_are_the_ones_that_keep_pods_up() -> None:
    assert LONG_RUNNING == {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"}
    assert LONG_RUNNING < set(POD_SPEC)


def test_selects_needs_every_selector_label_with_an_equal_value() -> None:
    labels = {"app": "web", "version": "v1", "tier": 1}
    assert selects({"app": "web"}, labels)
    assert selects({"app": "web", "version": "v1"}, labels)
    assert selects({"tier": "1"}, labels)  # compared as label text
    assert not selects({"app": "api"}, labels)
    assert not selects({"app": "web", "zone": "a"}, labels)  # a label the pods lack
    assert not selects({}, labels)  # an empty selector selects nothing here


def test_label_selector_match_labels_and_expressions_all_apply() -> None:
    labels = {"app": "web", "track": "stable"}
    assert label_selector_matches({"matchLabels": {"app": "web"}}, labels)
    assert not label_selector_matches({"matchLabels": {"app": "api"}}, labels)

    def expr(op: str, key: str = "track", values: list[str] | None = None) -> dict[str, object]:
        e: dict[str, object] = {"key": key, "operator": op}
        if values is not None:
            e["values"] = values
        return {"matchExpressions": [e]}

    assert label_selector_matches(expr("In", values=["stable", "canary"]), labels)
    assert not label_selector_matches(expr("In", values=["canary"]), labels)
    assert not label_selector_matches(expr("In", key="zone", values=["a"]), labels)
    assert label_selector_matches(expr("NotIn", values=["canary"]), labels)
    assert not label_selector_matches(expr("NotIn", values=["stable"]), labels)
    assert label_selector_matches(expr("NotIn", key="zone", values=["a"]), labels)  # absent: not in
    assert label_selector_matches(expr("Exists"), labels)
    assert not label_selector_matches(expr("Exists", key="zone"), labels)
    assert label_selector_matches(expr("DoesNotExist", key="zone"), labels)
    assert not label_selector_matches(expr("DoesNotExist"), labels)

    both = {"matchLabels": {"app": "web"}, **expr("In", values=["canary"])}
    assert not label_selector_matches(both, labels)  # matchLabels holds, the expression does not


def test_an_empty_label_selector_matches_nothing() -> None:
    assert not label_selector_matches({}, {"app": "web"})
    assert not label_selector_matches({"matchLabels": {}, "matchExpressions": []}, {"app": "web"})
    assert not label_selector_matches({"matchLabels": "app=web"}, {"app": "web"})
