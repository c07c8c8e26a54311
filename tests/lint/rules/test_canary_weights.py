"""canary.weights: Flagger reaches maxWeight (at most 100) in whole stepWeight steps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mwgen.lint.rules.canary_weights import RULE
from tests.lint.rules.kit import K8S, check, line_of, obj, project, run, where


def canary(**analysis: Any) -> dict[str, Any]:
    return obj("Canary", "web", {"targetRef": {"name": "web"}, "analysis": {"interval": "1m", **analysis}})


@pytest.mark.parametrize("top, step", [(50, 10), (100, 25), (30, 30), (10, 1)])
def test_reachable_weights_pass(tmp_path: Path, top: int, step: int) -> None:
    assert run(RULE, tmp_path, {K8S: [canary(maxWeight=top, stepWeight=step)]}) == []


def test_above_100_is_located_at_max_weight(tmp_path: Path) -> None:
    root = project(tmp_path, {K8S: [canary(maxWeight=120, stepWeight=10)]})
    found = check(RULE, root)
    assert where(found) == [("Canary/web", "spec.analysis.maxWeight", "maxWeight 120 is above 100")]
    assert found[0].line == line_of(root, K8S, "maxWeight: 120")


def test_unreachable_and_too_high_are_both_reported(tmp_path: Path) -> None:
    assert [h.message for h in run(RULE, tmp_path, {K8S: [canary(maxWeight=105, stepWeight=10)]})] == [
        "maxWeight 105 is above 100", "maxWeight 105 is not reachable in steps of 10"]
    assert [h.message for h in run(RULE, tmp_path, {K8S: [canary(maxWeight=45, stepWeight=10)]})] == [
        "maxWeight 45 is not reachable in steps of 10"]


@pytest.mark.parametrize("step", [0, -5])
def test_a_step_that_is_not_positive(tmp_path: Path, step: int) -> None:
    assert where(run(RULE, tmp_path, {K8S: [canary(maxWeight=50, stepWeight=step)]})) == [
        ("Canary/web", "spec.analysis.stepWeight", f"stepWeight {step} must be positive")]


def test_missing_or_templated_weights_and_other_kinds_are_skipped(tmp_path: Path) -> None:
    files = {K8S: [canary(maxWeight=50), canary(stepWeights=[1, 5, 10]), canary(maxWeight="50", stepWeight=7),
                   obj("Rollout", "web", {"analysis": {"maxWeight": 500, "stepWeight": 7}})]}
    assert run(RULE, tmp_path, files) == []
