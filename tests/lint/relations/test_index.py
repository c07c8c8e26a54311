"""mwgen.lint.relations.index: objects per target (shared ones everywhere), the pods each
workload runs, label lookups, and the objects Flagger generates for a Canary."""

from __future__ import annotations

from typing import Any

from mwgen.lint.relations.index import (
    applies,
    build_targets,
    namespace_of,
    primary_labels,
    uses_istio,
)
from tests.lint.relations.kit import deployment, kube, meta


def canary(name: str, target: str = "web", *, service: str = "", provider: str | None = None,
           scaler: str = "", on: str = "prod/r1", kind: str | None = None) -> Any:
    spec: dict[str, Any] = {"targetRef": {"apiVersion": "apps/v1", "name": target}}
    if kind:
        spec["targetRef"]["kind"] = kind
    if service:
        spec["service"] = {"name": service, "port": 80}
    if provider is not None:
        spec["provider"] = provider
    if scaler:
        spec["autoscalerRef"] = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                                 "name": scaler}
    return kube(meta("Canary", name, "shop", "flagger.app/v1beta1", spec=spec), target=on)


def test_each_target_sees_its_own_objects_and_every_shared_one() -> None:
    shared = kube(meta("AppProject", "shop", "argocd", "argoproj.io/v1alpha1"), target="")
    a = kube(meta("ConfigMap", "a", "shop"), target="prod/r1")
    b = kube(meta("ConfigMap", "b", "shop"), target="dev/r2")
    indexes = build_targets([a, shared, b])
    assert [i.target for i in indexes] == ["dev/r2", "prod/r1"]  # sorted
    assert [[o.name for o in i.objects] for i in indexes] == [["b", "shop"], ["a", "shop"]]
    assert [(i.env, i.region) for i in indexes] == [("dev", "r2"), ("prod", "r1")]


def test_a_target_checks_every_object_it_applies_its_environments_and_shared_ones_too() -> None:
    """A shared file's objects (and a per-environment file's) are checked under every
    target that applies them: a shared Service may find its pods in one target and
    not another. (Before, only a target's own files were checked, so a broken shared
    object was never reported.)"""
    shared = kube(meta("ConfigMap", "s", "shop"), target="")
    prod_env = kube(meta("ConfigMap", "e", "shop"), env="prod")
    dev_env = kube(meta("ConfigMap", "d", "shop"), env="dev")
    a = kube(meta("ConfigMap", "a", "shop"), target="prod/r1")
    svc = kube(meta("Service", "web", "shop"), target="prod/r1")
    b = kube(meta("ConfigMap", "b", "shop"), target="dev/r1")
    indexes = {i.target: i for i in build_targets([a, shared, prod_env, dev_env, svc, b])}
    names = lambda objs: sorted(o.name for o in objs)  # noqa: E731
    prod, dev = indexes["prod/r1"], indexes["dev/r1"]
    assert names(prod.of_kind("ConfigMap")) == ["a", "e", "s"]
    assert names(prod.objects) == ["a", "e", "s", "web"]
    assert names(prod.of_kind("ConfigMap", "Service")) == ["a", "e", "s", "web"]
    assert names(dev.objects) == ["b", "d", "s"]  # not prod's environment file
    assert applies("prod/r1", prod_env) and not applies("dev/r1", prod_env)
    assert applies("dev/r1", shared) and not applies("dev/r1", a)


def test_a_tree_without_target_folders_is_one_target_named_empty() -> None:
    [index] = build_targets([kube(meta("ConfigMap", "a"), target="")])
    assert (index.target, index.env, index.region) == ("", "", "")
    assert [o.name for o in index.objects] == ["a"]
    assert build_targets([])[0].objects == []


def test_lookups_by_kind_namespace_and_name() -> None:
    first = kube(meta("ConfigMap", "c", "shop", data={"n": "1"}))
    dup = kube(meta("ConfigMap", "c", "shop", data={"n": "2"}))
    bare = kube(meta("Secret", "s"))  # no namespace: "default"
    [index] = build_targets([first, dup, bare, deployment("web", {"app": "web"})])
    assert index.get("ConfigMap", "shop", "c") is first  # the first of two wins
    assert index.get("Secret", "default", "s") is bare and namespace_of(bare) == "default"
    assert index.get("ConfigMap", "other", "c") is None
    assert index.exists("Secret", "default", "s") and not index.exists("Secret", "shop", "s")
    assert [o.name for o in index.of_kind("ConfigMap")] == ["c", "c"]
    assert [o.kind for o in index.of_kind("Secret", "Deployment")] == ["Secret", "Deployment"]
    assert index.of_kind("Ingress") == []
    assert index.namespaces == {"shop", ""}


def test_workloads_run_pods_and_selectors_find_them_in_their_namespace() -> None:
    web = deployment("web", {"app": "web", "version": "v1"})
    api = deployment("api", {"app": "api"})
    elsewhere = deployment("web", {"app": "web"}, namespace="other")
    pod = kube({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "debug", "namespace": "shop", "labels": {"app": "web", "version": "debug"}},
                "spec": {"containers": [{"name": "c", "image": "x"}]}})
    [index] = build_targets([web, api, elsewhere, pod, kube(meta("Service", "web", "shop"))])
    assert [p.ident for p in index.pods] == ["Deployment/web", "Deployment/api", "Deployment/web", "Pod/debug"]
    assert [p.name for p in index.pods_in("shop")] == ["web", "api", "debug"]
    assert [p.name for p in index.select("shop", {"app": "web"})] == ["web", "debug"]
    assert [p.name for p in index.select("shop", {"app": "web", "version": "v1"})] == ["web"]
    assert [p.name for p in index.select("other", {"app": "web"})] == ["web"]
    assert index.select("shop", {"app": "nope"}) == [] and index.select("shop", {}) == []
    expressions = {"matchExpressions": [{"key": "version", "operator": "NotIn", "values": ["debug"]}]}
    assert [p.name for p in index.select_by("shop", expressions)] == ["web", "api"]
    assert [p.name for p in index.select_by("shop", {"matchLabels": {"app": "web"}, **expressions})] == ["web"]
    assert index.select_by("shop", {}) == []


def test_services_are_the_targets_own_with_a_selector_and_the_pods_they_select() -> None:
    with_selector = kube(meta("Service", "web", "shop", spec={"selector": {"app": "web"}}))
    headless = kube(meta("Service", "ext", "shop", spec={"type": "ExternalName"}))
    shared = kube(meta("Service", "shared", "shop", spec={"selector": {"app": "web"}}), target="")
    [index] = build_targets([with_selector, headless, shared, deployment("web", {"app": "web"})])
    assert [(s.name, sel, [p.name for p in pods]) for s, sel, pods in index.services()] == [
        ("web", {"app": "web"}, ["web"]), ("shared", {"app": "web"}, ["web"])]


def test_scalers_are_found_by_their_target() -> None:
    hpa = kube(meta("HorizontalPodAutoscaler", "web-hpa", "shop", "autoscaling/v2",
                    spec={"scaleTargetRef": {"kind": "Deployment", "name": "web"}}))
    [index] = build_targets([hpa, deployment("web", {"app": "web"})])
    assert index.hpa_for("Deployment", "shop", "web") is hpa
    assert index.hpa_for("StatefulSet", "shop", "web") is None
    assert index.hpa_for("Deployment", "other", "web") is None


def test_flagger_generates_primary_services_and_istio_objects_for_a_canary() -> None:
    web = deployment("web", {"app": "web", "team": "a"})
    can = canary("web", service="web-svc", scaler="web-hpa")
    [index] = build_targets([web, can])
    assert index.canary_targeting("Deployment", "shop", "web") is can
    assert sorted(index.generated) == sorted([
        ("Deployment", "shop", "web-primary"), ("Service", "shop", "web-svc"),
        ("Service", "shop", "web-svc-canary"), ("Service", "shop", "web-svc-primary"),
        ("HorizontalPodAutoscaler", "shop", "web-hpa-primary"), ("VirtualService", "shop", "web-svc"),
        ("DestinationRule", "shop", "web-svc-canary"), ("DestinationRule", "shop", "web-svc-primary")])
    assert all(index.generated[k] is can for k in index.generated)
    assert index.exists("Service", "shop", "web-svc-primary")
    assert index.get("Service", "shop", "web-svc-primary") is None  # not in the tree itself
    # the target is scaled to zero between analyses; Flagger's primary copy serves
    assert [(p.name, p.serving, p.generated, p.labels) for p in index.pods] == [
        ("web", False, False, {"app": "web", "team": "a"}),
        ("web-primary", True, True, {"app": "web-primary", "team": "a"})]
    assert [p.name for p in index.select("shop", {"app": "web-primary"})] == ["web-primary"]


def test_a_canary_without_istio_or_service_name_makes_fewer_objects() -> None:
    [index] = build_targets([deployment("web", {"app": "web"}), canary("web", provider="nginx")])
    assert sorted(index.generated) == sorted([
        ("Deployment", "shop", "web-primary"), ("Service", "shop", "web"),
        ("Service", "shop", "web-canary"), ("Service", "shop", "web-primary")])


def test_a_canary_of_another_kind_or_without_a_target_name() -> None:
    sts = kube(meta("StatefulSet", "db", "shop", "apps/v1", spec={
        "selector": {"matchLabels": {"name": "db"}},
        "template": {"metadata": {"labels": {"name": "db"}}, "spec": {"containers": []}}}))
    [index] = build_targets([sts, canary("db", "db", kind="StatefulSet"), canary("none", "")])
    assert ("StatefulSet", "shop", "db-primary") in index.generated
    assert not any(k[2].startswith("-") or k[2] == "" for k in index.generated)  # the nameless one made nothing
    assert [(p.name, p.labels) for p in index.pods if p.generated] == [("db-primary", {"name": "db-primary"})]


def test_a_canary_in_another_target_does_not_touch_this_one() -> None:
    [dev, prod] = build_targets([deployment("web", {"app": "web"}, target="prod/r1"),
                                 deployment("web", {"app": "web"}, target="dev/r1"),
                                 canary("web", on="prod/r1")])
    assert [p.serving for p in dev.pods] == [True] and dev.generated == {}
    assert [p.name for p in prod.pods if p.serving] == ["web-primary"]


def test_uses_istio_is_flaggers_default_mesh() -> None:
    assert uses_istio(canary("c"))
    assert uses_istio(canary("c", provider=""))
    assert uses_istio(canary("c", provider="istio"))
    assert not uses_istio(canary("c", provider="linkerd"))


def test_primary_labels_suffix_only_the_first_flagger_selector_label() -> None:
    both = deployment("web", {"app": "web", "name": "n", "team": "a"}, selector={"name": "n", "app": "web"})
    assert primary_labels(both, both.data["spec"]["template"]["metadata"]["labels"]) == {
        "app": "web-primary", "name": "n", "team": "a"}  # "app" comes first in Flagger's list
    k8s_name = deployment("w", {"app.kubernetes.io/name": "w"})
    assert primary_labels(k8s_name, {"app.kubernetes.io/name": "w"}) == {"app.kubernetes.io/name": "w-primary"}
    other = deployment("w", {"tier": "x"})
    labels = {"tier": "x"}
    assert primary_labels(other, labels) == labels and primary_labels(other, labels) is not labels
