"""pod.tolerates-node-group: pods tolerate the taints of some node group of their target."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mwgen.lint.relations.terraform import Model
from mwgen.lint.rules.scheduling import RULE, taints, tolerated
from mwgen.lint.tree import OutputTree
from tests.lint.rules.kit import K8S, check, line_of, obj, project, run, where, workload

TF = "output/terraform/environments/production/main.tf"
STAGING = "output/k8s/staging/us-east-1/app.yaml"
GROUPS = """provider "aws" {
  region = "us-east-1"
}

variable "gpu_effect" {
  type = string
}

locals {
  app_taints = [{ key = "dedicated", value = "application" }]
}

resource "aws_eks_node_group" "app" {
  node_group_name = "app"
  labels = { role = "app" }
  dynamic "taint" {
    for_each = local.app_taints
    content {
      key    = taint.value.key
      value  = taint.value.value
      effect = "NO_SCHEDULE"
    }
  }
  taint {
    key    = "spot"
    value  = "true"
    effect = "PREFER_NO_SCHEDULE"
  }
}

resource "aws_eks_node_group" "gpu" {
  node_group_name = "gpu"
  labels = { role = "gpu" }
  taint {
    key    = "gpu"
    value  = ""
    effect = "NO_EXECUTE"
  }
}
"""
DEDICATED = {"key": "dedicated", "operator": "Equal", "value": "application", "effect": "NoSchedule"}
NONE_FITS = ("pods tolerate no node group of production/us-east-1: "
             "app (spot=true:PreferNoSchedule, dedicated=application:NoSchedule); gpu (gpu=:NoExecute)")


@pytest.mark.parametrize("tolerations, ok", [
    ([DEDICATED], True),
    ([{"key": "dedicated", "value": "application"}], True),  # no effect: every effect
    ([{"key": "dedicated", "operator": "Exists"}], True),
    ([{"operator": "Exists"}], True),
    ([{"operator": "Exists", "effect": "NoExecute"}], False),
    ([{**DEDICATED, "value": "batch"}], False),
    ([{"key": "other", "operator": "Exists"}], False),
    (["junk", 7], False),
    ([], False),
])
def test_tolerated(tolerations: list[Any], ok: bool) -> None:
    assert tolerated(("dedicated", "application", "NoSchedule"), tolerations) is ok


def test_taints_expand_dynamic_blocks_and_name_effects(tmp_path: Path) -> None:
    root = project(tmp_path, {TF: GROUPS})
    groups = Model.load(OutputTree.scan(root)).resources("aws_eks_node_group")
    assert {g.name: taints(g) for g in groups} == {
        "app": [("spot", "true", "PreferNoSchedule"), ("dedicated", "application", "NoSchedule")],
        "gpu": [("gpu", "", "NoExecute")]}
    root = project(tmp_path, {TF: GROUPS.replace('"NO_EXECUTE"', "var.gpu_effect")})
    groups = Model.load(OutputTree.scan(root)).resources("aws_eks_node_group")
    assert [taints(g) is None for g in groups] == [False, True]


def test_pods_that_fit_a_group_pass(tmp_path: Path) -> None:
    files = {TF: GROUPS, K8S: [workload("web", tolerations=[DEDICATED]),
                               workload("ml", tolerations=[{"key": "gpu", "operator": "Exists"}],
                                        nodeSelector={"role": "gpu", "zone": "a"})]}
    assert run(RULE, tmp_path, files) == []


def test_pods_that_fit_no_group_are_located_at_their_tolerations(tmp_path: Path) -> None:
    root = project(tmp_path, {TF: GROUPS, K8S: [workload("web", tolerations=[{"key": "spot", "operator": "Exists"}])]})
    found = check(RULE, root)
    assert where(found) == [("Deployment/web", "spec.template.spec.tolerations", NONE_FITS)]
    assert found[0].line == line_of(root, K8S, "key: spot")


def test_the_node_selector_must_agree_with_the_groups_labels(tmp_path: Path) -> None:
    files = {TF: GROUPS, K8S: [workload("web", tolerations=[DEDICATED], nodeSelector={"role": "gpu"})]}
    assert [h.message for h in run(RULE, tmp_path, files)] == [NONE_FITS]


def test_unknown_taints_other_targets_and_flagger_copies_are_not_judged(tmp_path: Path) -> None:
    assert run(RULE, tmp_path, {TF: GROUPS.replace('"NO_EXECUTE"', "var.gpu_effect"), K8S: [workload("web")]}) == []
    assert run(RULE, tmp_path, {TF: GROUPS, STAGING: [workload("web")]}) == []
    canary = obj("Canary", "web", {"targetRef": {"kind": "Deployment", "name": "web"}})
    found = run(RULE, tmp_path, {TF: GROUPS, K8S: [workload("web"), canary]})
    assert [h.subject for h in found] == ["Deployment/web"]  # once, not again for web-primary
