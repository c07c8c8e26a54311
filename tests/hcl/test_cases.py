"""mwgen.hcl's formatter on case files and on the rendered tree, against ``terraform fmt``.

The formatter claims to write what ``terraform fmt`` writes; the only judge of that is
terraform itself, so every case is piped through ``terraform fmt -`` when the binary
is installed (those comparisons skip otherwise). Cases are files in
``tests/hcl/cases/``; the rendered Terraform tree is a second corpus, scrambled
(indentation and alignment removed) before formatting; ``test_agreement.py`` has the
generated one.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import hcl2
import pytest

from mwgen.hcl import check_hcl, format_hcl

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted((Path(__file__).parent / "cases").glob("*.tf"))
RENDERED = sorted((ROOT / "output" / "terraform").rglob("*.tf")) + sorted(
    (ROOT / "output" / "terraform").rglob("*.tfvars"))
TERRAFORM = shutil.which("terraform")
needs_terraform = pytest.mark.skipif(TERRAFORM is None, reason="terraform is not installed")


def terraform_fmt(text: str) -> str:
    env = {**os.environ, "CHECKPOINT_DISABLE": "1", "TF_CLI_CONFIG_FILE": os.devnull}
    proc = subprocess.run([str(TERRAFORM), "fmt", "-no-color", "-"], input=text,
                          capture_output=True, text=True, check=True, env=env, timeout=60)
    return proc.stdout


def scramble(text: str) -> str:
    """Undo formatting: no indentation, one space around ``=``, messy spaces.

    Comment lines get no trailing blanks: they are part of the comment token, which
    terraform keeps byte for byte.
    """
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("#"):
            line = re.sub(r"^([^\"#]*?) +=(?!=) +", r"\1   =  ", line) + "  "
        out.append("\t" + line)
    return "\n".join(out) + "\n"


@needs_terraform
@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_case_matches_terraform_fmt(case: Path) -> None:
    text = case.read_text()
    assert format_hcl(text) == terraform_fmt(text)


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_case_is_idempotent(case: Path) -> None:
    once = format_hcl(case.read_text())
    assert format_hcl(once) == once


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_formatting_keeps_meaning(case: Path) -> None:
    """Whatever python-hcl2 reads from the input it reads from the output too."""
    text = case.read_text()
    try:
        before = hcl2.loads(text)
    except Exception:  # noqa: BLE001 - some cases are deliberately exotic syntax
        pytest.skip("python-hcl2 does not read this case")
    assert hcl2.loads(format_hcl(text)) == before


def test_alignment_groups_break_on_blank_comment_and_block_lines() -> None:
    text = ("a = 1\nbbbb = 2\n\nc = 3\n# note\ndddddd = 4\nx {\n  y = 1\n}\nzz = 5\n")
    assert format_hcl(text) == ("a    = 1\nbbbb = 2\n\nc = 3\n# note\ndddddd = 4\n"
                                "x {\n  y = 1\n}\nzz = 5\n")


def test_multi_line_value_does_not_join_the_group() -> None:
    text = "a = 1\ntags = {\nName = \"x\"\n}\nlonger_name = 2\n"
    assert format_hcl(text) == ('a = 1\ntags = {\n  Name = "x"\n}\nlonger_name = 2\n')


def test_strings_and_comments_are_untouched() -> None:
    text = 'a   =   "x  =  ${var.y}  # not a comment"   #   a  comment\n'
    assert format_hcl(text) == 'a = "x  =  ${var.y}  # not a comment" #   a  comment\n'


def test_heredoc_body_is_kept_byte_for_byte() -> None:
    text = 'x = <<EOT\n  a   =  b\n\t{\nEOT\ny {\nz = 1\n}\n'
    assert format_hcl(text) == 'x = <<EOT\n  a   =  b\n\t{\nEOT\ny {\n  z = 1\n}\n'


def test_file_ends_with_one_newline_and_no_outer_blank_lines() -> None:
    assert format_hcl("\n\n\r\na = 1\r\n\n\n\n") == "a = 1\n"
    assert format_hcl("a = 1") == "a = 1\n"
    assert format_hcl("  \n\n") == ""


def test_inner_blank_lines_are_kept_as_terraform_keeps_them() -> None:
    assert format_hcl("a = 1\n\n\nb = 2\n") == "a = 1\n\n\nb = 2\n"


@needs_terraform
@pytest.mark.skipif(not RENDERED, reason="output/terraform has not been rendered")
@pytest.mark.parametrize("path", RENDERED, ids=[p.relative_to(ROOT).as_posix() for p in RENDERED])
def test_rendered_file_formats_like_terraform(path: Path) -> None:
    """Every committed .tf file: fmt clean, and rebuilt identically from a scrambled copy."""
    text = path.read_text()
    assert terraform_fmt(text) == text, "committed file is not terraform fmt clean"
    assert format_hcl(text) == text
    messy = scramble(text)
    assert format_hcl(messy) == terraform_fmt(messy) == text


def test_check_hcl_accepts_valid_hcl() -> None:
    check_hcl('resource "a" "b" {\n  x = 1\n}\n', "x.tf")


def test_check_hcl_reports_file_and_line() -> None:
    with pytest.raises(ValueError, match=r"^output/x\.tf:4:\d+: HCL parse error"):
        check_hcl('a = 1\nb = 2\nresource "x" {\n  c = = 3\n', "output/x.tf")
