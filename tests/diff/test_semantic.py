"""Semantic diff: documents matched by identity, changes as dotted paths, order and
layout told apart from meaning; Terraform diffed per address."""

from __future__ import annotations

import pytest

from mwgen.diff.hcl import diff_hcl, module_prefix
from mwgen.diff.semantic import (
    ADDED,
    CHANGED,
    FORMAT,
    ORDER,
    REMOVED,
    Unparsable,
    diff_documents,
    meaning_of,
)

DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: api, namespace: shop, labels: {{app.kubernetes.io/name: api}}}}
spec:
  replicas: {replicas}
  template: {{spec: {{containers: [{{name: api, image: "api:{tag}"}}]}}}}
"""
SERVICE = """\
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {ports: [{port: 80}]}
"""


def deploy(replicas: int = 3, tag: str = "v1") -> str:
    return DEPLOY.format(replicas=replicas, tag=tag)


def lines(old: str, new: str, fmt: str = "yaml") -> list[str]:
    return [line for d in diff_documents(fmt, old, new, "x") for line in d.lines()]


def test_changes_are_dotted_paths_with_old_and_new_values() -> None:
    assert lines(deploy(3, "v1"), deploy(6, "v2")) == [
        "Deployment shop/api: spec.replicas: 3 -> 6",
        'Deployment shop/api: spec.template.spec.containers[0].image: "api:v1" -> "api:v2"',
    ]


def test_keys_with_dots_are_quoted_in_paths() -> None:
    new = deploy().replace("app.kubernetes.io/name: api", "app.kubernetes.io/name: web")
    assert lines(deploy(), new) == [
        "Deployment shop/api: metadata.labels['app.kubernetes.io/name']: \"api\" -> \"web\""]


def test_documents_are_matched_by_identity_not_position() -> None:
    old = f"{SERVICE}---\n{deploy(3)}"
    new = f"{deploy(4)}---\n{SERVICE}"
    docs = diff_documents("yaml", old, new, "x")
    assert [(d.label, d.status) for d in docs] == [("Deployment shop/api", CHANGED)]
    assert lines(old, new) == ["Deployment shop/api: spec.replicas: 3 -> 4"]


def test_added_and_removed_documents_are_named() -> None:
    docs = diff_documents("yaml", SERVICE, deploy(), "x")
    assert {(d.label, d.status) for d in docs} == {("Service shop/api", REMOVED),
                                                   ("Deployment shop/api", ADDED)}
    assert meaning_of(docs) == "meaning"


def test_document_order_only_is_not_a_change_of_meaning() -> None:
    docs = diff_documents("yaml", f"{SERVICE}---\n{deploy()}", f"{deploy()}---\n{SERVICE}", "x")
    assert [d.status for d in docs] == [ORDER]
    assert meaning_of(docs) == "order"


def test_key_order_only_is_reported_as_such() -> None:
    old = "kind: ConfigMap\nmetadata: {name: c}\ndata: {a: '1', b: '2'}\n"
    new = "kind: ConfigMap\nmetadata: {name: c}\ndata: {b: '2', a: '1'}\n"
    assert lines(old, new) == ["ConfigMap c: key order only (same meaning)"]


def test_formatting_only_is_reported_as_such() -> None:
    old = "kind: ConfigMap\nmetadata: {name: c}\ndata: {a: '1'}\n"
    new = "# a comment\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: \"1\"\n"
    docs = diff_documents("yaml", old, new, "x")
    assert [d.status for d in docs] == [FORMAT]
    assert meaning_of(docs) == "format"


def test_json_is_one_document() -> None:
    assert lines('{"title": "a", "panels": [1]}', '{"title": "b", "panels": [1, 2]}',
                 "json") == ['document 1: panels[1]: added 2',
                             'document 1: title: "a" -> "b"']


def test_same_kind_and_name_told_apart_by_api_version() -> None:
    old = "apiVersion: v1\nkind: X\nmetadata: {name: a}\n---\napiVersion: v2\nkind: X\nmetadata: {name: a}\nspec: 1\n"
    new = old.replace("spec: 1", "spec: 2")
    assert lines(old, new) == ["X a (v2): spec: 1 -> 2"]


def test_broken_yaml_is_unparsable_not_a_crash() -> None:
    with pytest.raises(Unparsable, match="does not parse"):
        diff_documents("yaml", "a: 1\n", "a: [\n", "output/x.yaml")


TF = """\
resource "aws_subnet" "public" {
  count      = 3
  cidr_block = "10.0.0.0/24"
  vpc_id     = aws_vpc.main.id
}

variable "cidr" {
  type = string
}
"""


def test_hcl_is_diffed_per_address_under_the_module() -> None:
    new = TF.replace("count      = 3", "count      = 4").replace(
        "aws_vpc.main.id", "aws_vpc.other.id") + 'output "id" {\n  value = 1\n}\n'
    new = new.replace('variable "cidr" {\n  type = string\n}\n', "")
    docs = diff_hcl(TF, new, "terraform/modules/vpc/main.tf")
    assert {(d.label, d.status) for d in docs} == {
        ("module.vpc.aws_subnet.public", CHANGED), ("module.vpc.var.cidr", REMOVED),
        ("module.vpc.output.id", ADDED)}
    changed = next(d for d in docs if d.status == CHANGED)
    assert changed.lines() == ["module.vpc.aws_subnet.public: count: 3 -> 4",
                               "module.vpc.aws_subnet.public: vpc_id: aws_vpc.main.id -> "
                               "aws_vpc.other.id"]


def test_hcl_addresses_of_each_block_kind() -> None:
    text = ('data "aws_ami" "x" {\n  most_recent = true\n}\n'
            'module "net" {\n  source = "./net"\n}\n'
            'locals {\n  a = 1\n}\n'
            'provider "aws" {\n  region = "us-east-1"\n}\n')
    docs = diff_hcl("", text, "terraform/environments/prod/main.tf")
    assert [d.label for d in docs] == ["data.aws_ami.x", "module.net", "local.a",
                                       "provider.aws"]


def test_hcl_string_change_keeps_quotes_apart_from_expressions() -> None:
    docs = diff_hcl(TF, TF.replace("10.0.0.0/24", "10.0.1.0/24"), "main.tf")
    assert docs[0].lines() == [
        'aws_subnet.public: cidr_block: "10.0.0.0/24" -> "10.0.1.0/24"']


def test_module_prefix() -> None:
    assert module_prefix("terraform/modules/vpc/main.tf") == "module.vpc."
    assert module_prefix("terraform/environments/prod/main.tf") == ""


def test_tfvars_are_diffed_per_variable() -> None:
    old = 'regions = {\n  "eu-west-1" = {\n    size = 6\n  }\n}\nproject = "a"\n'
    docs = diff_hcl(old, old.replace("6", "8"), "terraform/environments/prod/terraform.tfvars")
    assert docs[0].lines() == ["var.regions: eu-west-1.size: 6 -> 8"]
