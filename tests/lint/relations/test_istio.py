"""mwgen.lint.relations.istio: how Istio resolves a host name to a Kubernetes Service."""

from __future__ import annotations

import pytest

from mwgen.lint.relations.index import TargetIndex, build_targets
from tests.lint.relations.kit import kube, meta


@pytest.fixture
def index() -> TargetIndex:
    """A target with objects in namespaces shop and billing, and a Namespace object prod."""
    [only] = build_targets([kube(meta("Service", "web", "shop")),
                            kube(meta("ConfigMap", "c", "billing")),
                            kube(meta("Namespace", "prod"))])
    return only


def service_of(host: str, index: TargetIndex, namespace: str = "shop") -> tuple[str, str] | None:
    from mwgen.lint.relations.istio import service_of as resolve

    return resolve(host, namespace, index)


def test_a_short_name_is_the_service_in_the_referring_namespace(index: TargetIndex) -> None:
    assert service_of("reviews", index) == ("shop", "reviews")
    assert service_of("reviews", index, namespace="billing") == ("billing", "reviews")


@pytest.mark.parametrize("host", ["reviews.prod", "reviews.prod.svc", "reviews.prod.svc.cluster.local"])
def test_qualified_names_name_the_namespace(index: TargetIndex, host: str) -> None:
    assert service_of(host, index) == ("prod", "reviews")


def test_a_svc_suffix_always_means_the_cluster_even_for_an_unknown_namespace(index: TargetIndex) -> None:
    assert service_of("reviews.elsewhere.svc.cluster.local", index) == ("elsewhere", "reviews")
    assert service_of("reviews.elsewhere.svc", index) == ("elsewhere", "reviews")


def test_name_dot_namespace_is_in_the_cluster_only_when_the_target_has_that_namespace(index: TargetIndex) -> None:
    assert service_of("web.billing", index) == ("billing", "web")
    assert service_of("example.com", index) is None  # "com" is no namespace here


@pytest.mark.parametrize("host", ["", "*", "*.example.com", "www.example.com", "api.shop.example.com",
                                  "reviews.svc", "reviews.a.b.svc.cluster.local"])
def test_wildcards_and_other_dotted_names_are_external(index: TargetIndex, host: str) -> None:
    assert service_of(host, index) is None
