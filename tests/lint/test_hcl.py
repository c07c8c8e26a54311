"""HCL: parse errors with file and line; terraform fmt where terraform is installed."""

from __future__ import annotations

import shutil

import pytest

from mwgen.lint import hcl
from mwgen.lint.tree import OutputTree

CLEAN = 'resource "aws_s3_bucket" "logs" {\n  bucket = "mindweave-logs"\n  tags = {\n    Name = "logs"\n  }\n}\n'


def findings(root):
    return [(p.file, p.line, p.rule, p.message) for p in hcl.check(OutputTree.scan(root))]


def test_clean_file_passes(make_project) -> None:
    root = make_project({"output/terraform/environments/production/main.tf": CLEAN,
                         "output/terraform/environments/production/prod.tfvars": 'region = "us-east-1"\n'})
    assert findings(root) == []


def test_parse_error_names_file_and_line(make_project) -> None:
    broken = 'variable "region" {\n  default = "us-east-1"\n  type =\n}\n'
    root = make_project({"output/terraform/modules/eks/variables.tf": broken})
    (finding,) = [f for f in findings(root) if f[2] == "hcl"]
    assert finding[:3] == ("output/terraform/modules/eks/variables.tf", 3, "hcl")
    assert finding[3].startswith("HCL parse error: Invalid expression")
    assert "fix the template" in finding[3] and "run terraform fmt" not in finding[3]


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform not installed")
def test_terraform_fmt_names_the_first_line_to_change(make_project) -> None:
    ugly = CLEAN.replace('  bucket = "mindweave-logs"', '  bucket   =   "mindweave-logs"')
    root = make_project({"output/terraform/modules/s3/main.tf": ugly,
                         "output/terraform/modules/s3/ok.tf": CLEAN.replace("logs", "data")})
    assert findings(root) == [("output/terraform/modules/s3/main.tf", 2, "terraform-fmt", FMT_MESSAGE)]


FMT_MESSAGE = ("terraform fmt would rewrite this file (fix the template that generates it and run "
               "`mwgen render`; do not hand-format generated files)")


def test_without_terraform_mwgen_decides_fmt_itself(make_project, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same finding, same line, without the binary: mwgen.hcl applies terraform fmt's rules."""
    monkeypatch.setenv("PATH", "/nonexistent")
    ugly = CLEAN.replace('  bucket = "mindweave-logs"', '  bucket   =   "mindweave-logs"')
    root = make_project({"output/terraform/modules/s3/main.tf": ugly})
    assert findings(root) == [("output/terraform/modules/s3/main.tf", 2, "terraform-fmt", FMT_MESSAGE)]


def test_block_with_three_labels_is_refused(make_project) -> None:
    """Valid HCL, but Terraform refuses a resource with more than two labels (#13 item 3):
    the quotes of a value spliced into a label without ``| raw`` split it."""
    text = 'resource "aws_s3_bucket" "assets_"euc1"" {\n}\n'
    root = make_project({"output/terraform/modules/s3/main.tf": text})
    ((file, line, rule, message),) = findings(root)
    assert (file, line, rule) == ("output/terraform/modules/s3/main.tf", 1, "hcl")
    assert message.startswith("Terraform refuses this block: resource ")
    assert "'resource' blocks take 2 labels, found 4" in message
    assert "run terraform fmt" not in message
