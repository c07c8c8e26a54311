"""irsa.role: a ServiceAccount's IAM role is created for its target and trusts it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mwgen.lint.rules.irsa import ARN, RULE
from tests.lint.rules.kit import K8S, check, line_of, obj, project, run, where

TF = "output/terraform/environments/production/main.tf"
STAGING = "output/k8s/staging/us-east-1/app.yaml"
ROLES = """provider "aws" {
  region = "us-east-1"
}

variable "suffix" {
  type = string
}

resource "aws_iam_role" "web" {
  name = "shop-web"
  assume_role_policy = jsonencode({
    Statement = [{
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = { StringEquals = { "oidc:sub" = "system:serviceaccount:shop:web" } }
    }]
  })
}

data "aws_iam_policy_document" "jobs" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    condition {
      test     = "StringLike"
      variable = "oidc:sub"
      values   = ["system:serviceaccount:jobs:*"]
    }
  }
}

resource "aws_iam_role" "jobs" {
  name               = "shop-jobs"
  assume_role_policy = data.aws_iam_policy_document.jobs.json
}
"""


def sa(name: str, arn: str, ns: str = "shop") -> dict[str, Any]:
    out = obj("ServiceAccount", name, ns=ns)
    out["metadata"]["annotations"] = {"eks.amazonaws.com/role-arn": arn}
    return out


def arn(role: str) -> str:
    return f"arn:aws:iam::111122223333:role/{role}"


def test_the_arn_pattern_takes_the_role_name_after_any_path() -> None:
    assert ARN.match(arn("team/x/shop-web")).group(1) == "shop-web"  # type: ignore[union-attr]
    assert ARN.match("arn:aws-cn:iam::1:role/r").group(1) == "r"  # type: ignore[union-attr]
    assert ARN.match("arn:aws:iam::1:user/r") is None


def test_created_and_trusting_roles_pass(tmp_path: Path) -> None:
    files = {TF: ROLES, K8S: [sa("web", arn("shop-web")), sa("nightly", arn("shop-jobs"), ns="jobs"),
                              obj("ServiceAccount", "plain")]}
    assert run(RULE, tmp_path, files) == []


def test_a_role_the_terraform_does_not_create(tmp_path: Path) -> None:
    root = project(tmp_path, {TF: ROLES, K8S: [sa("web", arn("shop-api"))]})
    found = check(RULE, root)
    assert where(found) == [("ServiceAccount/web", "metadata.annotations['eks.amazonaws.com/role-arn']",
                             "role 'shop-api' is not created by the rendered Terraform for production/us-east-1")]
    assert found[0].line == line_of(root, K8S, "role/shop-api")


def test_a_role_that_does_not_trust_the_service_account(tmp_path: Path) -> None:
    found = run(RULE, tmp_path, {TF: ROLES, K8S: [sa("worker", arn("shop-web")), sa("x", arn("shop-jobs"))]})
    assert [h.message for h in found] == [
        "role 'shop-web' (aws_iam_role.web) does not trust system:serviceaccount:shop:worker "
        "(trusts system:serviceaccount:shop:web)",
        "role 'shop-jobs' (aws_iam_role.jobs) does not trust system:serviceaccount:shop:x "
        "(trusts system:serviceaccount:jobs:*)",
    ]


def test_an_annotation_that_is_no_role_arn(tmp_path: Path) -> None:
    assert [h.message for h in run(RULE, tmp_path, {TF: ROLES, K8S: [sa("web", "shop-web")]})] == [
        "'shop-web' is not an IAM role ARN"]


def test_roles_of_another_region_do_not_count(tmp_path: Path) -> None:
    files = {TF: ROLES.replace("us-east-1", "us-west-2"), K8S: [sa("web", arn("shop-web"))]}
    assert [h.message for h in run(RULE, tmp_path, files)] == [
        "role 'shop-web' is not created by the rendered Terraform for production/us-east-1"]


def test_unevaluated_role_names_are_mentioned(tmp_path: Path) -> None:
    files = {TF: ROLES.replace('name = "shop-web"', 'name = "shop-${var.suffix}"'), K8S: [sa("web", arn("shop-api"))]}
    assert [h.message for h in run(RULE, tmp_path, files)] == [
        "role 'shop-api' is not created by the rendered Terraform for production/us-east-1 "
        "(1 role names could not be evaluated)"]


def test_an_environment_without_terraform_is_not_judged(tmp_path: Path) -> None:
    assert run(RULE, tmp_path, {TF: ROLES, STAGING: [sa("web", arn("nope"))]}) == []
    assert run(RULE, tmp_path, {K8S: [sa("web", arn("nope"))]}) == []
