"""mwgen.diff.hcl: Terraform output keyed by address, values made readable, and diffed per
address. (Per-kind addresses, module prefixes and tfvars diffs of whole files are in
test_semantic.py; these are the pieces and the edge cases.)"""

from __future__ import annotations

import pytest

from mwgen.diff.hcl import addresses, diff_hcl, module_prefix, parse_addresses
from mwgen.diff.semantic import ADDED, CHANGED, ORDER, REMOVED, Expr, Unparsable

MAIN = '''terraform {
  required_version = ">= 1.5"
}

resource "aws_s3_bucket" "logs" {
  bucket  = "logs-${var.env}"
  count   = 2
  enabled = true
  tags    = { team = "platform" }
  list    = ["a", var.extra]
  vpc     = aws_vpc.main.id
}

data "aws_ami" "ubuntu" {
  most_recent = true
}

moved {
  from = aws_s3_bucket.old
  to   = aws_s3_bucket.logs
}

moved {
  from = aws_s3_bucket.older
  to   = aws_s3_bucket.logs
}

locals {
  name = "x"
}

locals {
  size = var.size
}
'''


def test_every_block_gets_its_address_and_readable_values() -> None:
    got = parse_addresses(MAIN, "terraform/prod/main.tf")
    assert list(got) == ["terraform", "aws_s3_bucket.logs", "data.aws_ami.ubuntu", "moved", "moved #2",
                         "local.name", "local.size"]
    bucket = got["aws_s3_bucket.logs"]
    assert bucket == {"bucket": "logs-${var.env}", "count": 2, "enabled": True, "tags": {"team": "platform"},
                      "list": ["a", "var.extra"], "vpc": "aws_vpc.main.id"}
    assert type(bucket["bucket"]) is str  # a quoted string, interpolation and all
    assert isinstance(bucket["vpc"], Expr) and isinstance(bucket["list"][1], Expr)
    assert not isinstance(bucket["list"][0], Expr)
    assert got["moved #2"] == {"from": "aws_s3_bucket.older", "to": "aws_s3_bucket.logs"}
    assert got["local.size"] == "var.size" and isinstance(got["local.size"], Expr)
    assert all("__is_block__" not in str(v) for v in got.values())


def test_addresses_take_the_module_prefix() -> None:
    got = parse_addresses(MAIN, "terraform/modules/storage/main.tf")
    assert "module.storage.aws_s3_bucket.logs" in got and "module.storage.data.aws_ami.ubuntu" in got
    assert addresses({"variable": [{'"a"': {"type": "${string}"}}]}, "module.x.") == {
        "module.x.var.a": {"type": "string"}}


def test_two_blocks_with_one_address_are_both_kept() -> None:
    twice = 'resource "a" "b" {\n  x = 1\n}\nresource "a" "b" {\n  x = 2\n}\nresource "a" "b" {\n  x = 3\n}\n'
    assert parse_addresses(twice, "main.tf") == {"a.b": {"x": 1}, "a.b #2": {"x": 2}, "a.b #3": {"x": 3}}


def test_a_tfvars_file_is_one_variable_per_value() -> None:
    got = parse_addresses('env = "prod"\nsizes = {\n  web = 2\n}\nzones = ["a", "b"]\n', "prod/terraform.tfvars")
    assert got == {"var.env": "prod", "var.sizes": {"web": 2}, "var.zones": ["a", "b"]}


@pytest.mark.parametrize("path, prefix", [
    ("modules/vpc/main.tf", "module.vpc."),
    ("terraform/modules/vpc/sub/main.tf", "module.vpc."),
    ("terraform/modules/main.tf", ""),  # a file beside the modules, not in one
    ("terraform/prod/modules.tf", ""),
    ("main.tf", ""),
])
def test_module_prefix_edges(path: str, prefix: str) -> None:
    assert module_prefix(path) == prefix


def test_text_that_does_not_parse_is_unparsable_and_named() -> None:
    with pytest.raises(Unparsable) as err:
        parse_addresses('resource "a" {\n', "terraform/prod/main.tf")
    assert str(err.value).startswith("output/terraform/prod/main.tf does not parse as HCL2: ")
    assert "\n" not in str(err.value)  # one line
    with pytest.raises(Unparsable, match="^gitops/main.tf does not parse as HCL2: "):
        diff_hcl("a = 1\n", "a = [\n", "main.tf", shown="gitops/main.tf")


def test_comments_and_layout_change_nothing() -> None:
    relaid = '# generated\nterraform {\n  required_version = ">= 1.5" # pinned\n}\n\n\n' + MAIN.split("}\n", 1)[1]
    assert diff_hcl(MAIN, relaid, "main.tf") == []
    assert diff_hcl(MAIN, MAIN.replace("  count   = 2\n", "  count = 2\n"), "main.tf") == []


def test_attribute_order_only_is_order_and_block_order_is_nothing() -> None:
    swapped = MAIN.replace("  count   = 2\n  enabled = true\n", "  enabled = true\n  count   = 2\n")
    [doc] = diff_hcl(MAIN, swapped, "main.tf")
    assert (doc.label, doc.status) == ("aws_s3_bucket.logs", ORDER)
    head, rest = MAIN.split("\n\n", 1)
    assert diff_hcl(MAIN, rest + "\n" + head + "\n", "main.tf") == []  # block order carries no meaning


def test_changed_attributes_of_an_address_are_listed() -> None:
    new = MAIN.replace('team = "platform"', 'team = "platform", cost = "a"').replace(
        "  count   = 2\n", "").replace("var.extra", '"b"')
    [doc] = diff_hcl(MAIN, new, "main.tf")
    assert (doc.label, doc.status) == ("aws_s3_bucket.logs", CHANGED)
    assert doc.lines() == ['aws_s3_bucket.logs: count: removed (was 2)',
                           'aws_s3_bucket.logs: list[1]: var.extra -> "b"',
                           'aws_s3_bucket.logs: tags.cost: added "a"']


def test_added_and_removed_addresses() -> None:
    new = MAIN.replace('data "aws_ami" "ubuntu"', 'data "aws_ami" "debian"')
    assert [(d.label, d.status) for d in diff_hcl(MAIN, new, "main.tf")] == [
        ("data.aws_ami.ubuntu", REMOVED), ("data.aws_ami.debian", ADDED)]
    assert [(d.label, d.status) for d in diff_hcl("", 'variable "v" {}\n', "main.tf")] == [("var.v", ADDED)]
