"""hpa.min-le-max: an HPA's minReplicas (default 1) is not above its maxReplicas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mwgen.lint.rules.hpa_range import RULE
from tests.lint.rules.kit import K8S, check, line_of, obj, project, run, where


def hpa(**spec: Any) -> dict[str, Any]:
    return obj("HorizontalPodAutoscaler", "web", {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, **spec})


@pytest.mark.parametrize("spec", [{"minReplicas": 2, "maxReplicas": 2}, {"minReplicas": 1, "maxReplicas": 10},
                                  {"maxReplicas": 1}, {"minReplicas": 5}, {"minReplicas": 5, "maxReplicas": "3"}])
def test_a_sane_or_undecidable_range_passes(tmp_path: Path, spec: dict[str, Any]) -> None:
    assert run(RULE, tmp_path, {K8S: [hpa(**spec)]}) == []


def test_min_above_max_is_located_at_min_replicas(tmp_path: Path) -> None:
    root = project(tmp_path, {K8S: [hpa(minReplicas=30, maxReplicas=20)]})
    found = check(RULE, root)
    assert where(found) == [("HorizontalPodAutoscaler/web", "spec.minReplicas", "minReplicas 30 is above maxReplicas 20")]
    assert found[0].line == line_of(root, K8S, "minReplicas: 30")


def test_a_missing_min_is_one(tmp_path: Path) -> None:
    assert [h.message for h in run(RULE, tmp_path, {K8S: [hpa(maxReplicas=0)]})] == [
        "minReplicas 1 is above maxReplicas 0"]


def test_other_kinds_are_ignored(tmp_path: Path) -> None:
    assert run(RULE, tmp_path, {K8S: [obj("ScaledObject", "web", {"minReplicas": 9, "maxReplicas": 1})]}) == []
