"""Terraform's block shapes, checked at render time (issue #13 item 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mwgen.errors import TemplateError
from mwgen.hcl import check_hcl
from mwgen.hcl.terraform import BlockShapeError, check_blocks
from mwgen.project import load_project
from mwgen.render.engine import render
from mwgen.render.sourcemap import template_line
from tests.helpers import FIXTURES, copy_project

GOOD = '''terraform {
  backend "s3" {
  }
  required_providers {
  }
}
provider "aws" {}
variable "x" {
  validation {
  }
}
locals {}
resource "aws_s3_bucket" "b" {
  lifecycle {
  }
  dynamic "rule" {
    content {}
  }
}
data "aws_iam_policy_document" "d" {}
module "m" {}
output "o" {}
moved {}
import {}
removed {}
check "c" {}
ephemeral "random_password" "p" {}
'''


def test_every_terraform_block_with_its_labels_passes() -> None:
    check_blocks(check_hcl(GOOD))


@pytest.mark.parametrize("text, line, fragment", [
    ('resource "aws_s3_bucket" "assets_"euc1"" {\n}\n', 1, "'resource' blocks take 2 labels, found 4"),
    ('resource "aws_s3_bucket" {\n}\n', 1, "'resource' blocks take 2 labels, found 1"),
    ('data "a" "b" "c" {}\n', 1, "'data' blocks take 2 labels, found 3"),
    ('module {}\n', 1, "'module' blocks take 1 label, found 0"),
    ('variable "a" "b" {}\n', 1, "'variable' blocks take 1 label, found 2"),
    ('output {}\n', 1, "'output' blocks take 1 label, found 0"),
    ('provider "a" "b" {}\n', 1, "'provider' blocks take 1 label, found 2"),
    ('locals "x" {}\n', 1, "'locals' blocks take no labels, found 1"),
    ('terraform "x" {}\n', 1, "'terraform' blocks take no labels, found 1"),
    ('moved "x" {}\n', 1, "'moved' blocks take no labels, found 1"),
    ('import "x" {}\n', 1, "'import' blocks take no labels, found 1"),
    ('removed "x" {}\n', 1, "'removed' blocks take no labels, found 1"),
    ('check {}\n', 1, "'check' blocks take 1 label, found 0"),
    ('terraform {\n  backend {}\n}\n', 2, "'backend' blocks take 1 label, found 0"),
    ('resource "a" "b" {\n  dynamic {}\n}\n', 2, "'dynamic' blocks take 1 label, found 0"),
    ('resource "a" "b" {\n  lifecycle "x" {}\n}\n', 2, "'lifecycle' blocks take no labels, found 1"),
    ('resourse "a" "b" {}\n', 1, "unsupported block type 'resourse'"),
])
def test_wrong_shapes_are_refused_at_the_block(text: str, line: int, fragment: str) -> None:
    with pytest.raises(BlockShapeError) as caught:
        check_blocks(check_hcl(text))
    assert caught.value.line == line
    assert fragment in caught.value.message


def test_tfvars_holds_no_blocks() -> None:
    check_blocks(check_hcl('region = "x"\n'), tfvars=True)
    with pytest.raises(BlockShapeError, match="a .tfvars file sets variables and holds no blocks"):
        check_blocks(check_hcl('locals {}\n'), tfvars=True)


def test_unquoted_value_in_a_label_fails_the_render_at_the_template_line(tmp_path: Path) -> None:
    """``"assets_{{ region }}"`` without ``| raw``: the value's own quotes split the
    label, Terraform would refuse the file, so the render stops at the template line."""
    mini = copy_project(FIXTURES / "mini", tmp_path / "mini")
    (mini / "templates" / "{env}" / "s3.tf.j2").write_text(
        'locals {\n  a = 1\n}\n\nresource "aws_s3_bucket" "assets_{{ env }}" {\n  bucket = "x"\n}\n')
    with pytest.raises(TemplateError) as caught:
        render(load_project(mini, search=False))
    lines = caught.value.lines()
    assert len(lines) == 2  # one per environment
    assert lines[0].startswith("templates/{env}/s3.tf.j2:5: output/dev/s3.tf:5: rendered HCL is invalid: "
                               'resource "aws_s3_bucket" "assets_" "dev" "": ')
    assert "'resource' blocks take 2 labels, found 4" in lines[0]


@pytest.mark.parametrize("source, rendered, line, want", [
    ('a {\n  b = {{ x }}\n}\n', 'a {\n  b = "q"\n}\n', 2, 2),
    ('x "a_{{ y }}" {\n}\n', 'x "a_"1"" {\n}\n', 1, 1),
    ('}\n}\n', '}\n}\n', 1, 0),  # the same literal twice: unsure
    ('{{ a }}\n', 'zzz\n', 1, 0),  # no literal text
    ('a = 1\n', 'a = 1\n', 5, 0),  # no such output line
])
def test_template_line_guess(source: str, rendered: str, line: int, want: int) -> None:
    assert template_line(source, rendered, line) == want
