"""terraform fmt's behaviour, case by case (issue #18), without needing terraform.

Each expected output is what ``terraform fmt`` (v1.11) writes for the input; where
terraform is installed the same table is checked against it, so the table cannot
drift from the real tool.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mwgen.hcl import HCLParseError, format_hcl, terraform_fmt
from mwgen.hcl.format import columns
from tests.hcl.terraform import fmt_batch, needs_terraform

CASES: list[tuple[str, str, str]] = [
    # expression spacing
    ("binary operator", "x = a+2\n", "x = a + 2\n"),
    ("conditional", "x = a?b:c\n", "x = a ? b : c\n"),
    ("list commas", 'x = ["a","b"]\n', 'x = ["a", "b"]\n'),
    ("nested empty list", "x = [ [ ] ]\n", "x = [[]]\n"),
    ("logical not", "x = ! true\n", "x = !true\n"),
    ("negative number", "x = - 2\n", "x = -2\n"),
    ("subtraction", "x = b  -2\n", "x = b - 2\n"),
    ("ident with dash", "x = b-2\n", "x = b-2\n"),
    ("for expression", "x = {for k,v in m : k=>v}\n", "x = { for k, v in m : k => v }\n"),
    ("tuple for with literal", "x = [for y in [1]: y]\n", "x = [for y in [1] : y]\n"),
    ("full splat", "x = a[ * ].id\n", "x = a[*].id\n"),
    ("attribute splat", "x = a . * . id\n", "x = a.*.id\n"),
    ("call and expansion", "x = f( a , b ... )\n", "x = f(a, b...)\n"),
    ("provider function", "x = provider :: aws :: f(1)\n", "x = provider::aws::f(1)\n"),
    ("index", "x = a [ 0 ] [\"k\"]\n", 'x = a[0]["k"]\n'),
    # templates
    ("interpolation spaces", 'x = "hello ${ name }"\n', 'x = "hello ${name}"\n'),
    ("strip markers", 'x = "a ${~ name ~} b"\n', 'x = "a ${~name~} b"\n'),
    ("directive", 'x = "%{ if a }y%{ endif }"\n', 'x = "%{if a}y%{endif}"\n'),
    ("object in interpolation", 'x = "a${ {b=1} }"\n', 'x = "a${ { b = 1 } }"\n'),
    ("heredoc body kept", "x = <<EOT\n  a  =  ${ b }\n  EOT\n", "x = <<EOT\n  a  =  ${b}\n  EOT\n"),
    # braces
    ("empty block", "b{}\n", "b {}\n"),
    ("single-line block", "b {a = 1}\n", "b { a = 1 }\n"),
    ("object braces", 'x = {id = "x"}\n', 'x = { id = "x" }\n'),
    # terraform fmt's rewrites
    ("interpolation only", 'x = "${var.x}"\n', "x = var.x\n"),
    ("multi-line interpolation", 'x = "${c ? a :\n b}"\n', "x = (c ? a :\nb)\n"),
    ("nested interpolation", 'x = "${"${y}"}"\n', 'x = "${y}"\n'),
    ("ident label quoted", "variable x {\n}\n", 'variable "x" {\n}\n'),
    ("legacy type string", 'variable "x" {\n  type = "string"\n}\n', 'variable "x" {\n  type = string\n}\n'),
    ("legacy type list", 'variable "x" {\n  type = "list"\n}\n', 'variable "x" {\n  type = list(string)\n}\n'),
    ("bare collection type", 'variable "x" {\n  type = list\n}\n', 'variable "x" {\n  type = list(any)\n}\n'),
    ("type elsewhere untouched", 'b "x" {\n  type = list\n}\n', 'b "x" {\n  type = list\n}\n'),
    ("comments between labels dropped", 'resource /* a */ "t" /* b */ "n" {}\n', 'resource "t" "n" {}\n'),
    ("label escapes rewritten", 'b "\\u0041\\u00a0" {}\n', 'b "A\\u00a0" {}\n'),
    # alignment counts grapheme clusters
    ("flag emoji", 'a = "🇩🇪" # c\nbb = 1 # d\n', 'a  = "🇩🇪" # c\nbb = 1   # d\n'),
    ("combining accent", 'a = "cafe\u0301" # c\nbb = 1 # d\n', 'a  = "cafe\u0301" # c\nbb = 1      # d\n'),
    ("wide characters", 'a = "日本" # c\nbb = 1 # d\n', 'a  = "日本" # c\nbb = 1    # d\n'),
    ("zwj family", 'a = "👨\u200d👩\u200d👧" # c\nbb = 1 # d\n', 'a  = "👨\u200d👩\u200d👧" # c\nbb = 1   # d\n'),
    ("non-ascii keys", "日本 = 1\nb = 2\n", "日本 = 1\nb  = 2\n"),
    # whitespace terraform keeps
    ("comment bytes kept", "a = 1 #  x  \n", "a = 1 #  x  \n"),
    ("crlf kept", "a=1\r\nb {\r\nc=2\r\n}\r\n", "a = 1\r\nb {\r\n  c = 2\r\n}\r\n"),
    ("no final newline added", "a=1", "a = 1"),
]


@pytest.mark.parametrize("text, want", [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_terraform_fmt(text: str, want: str) -> None:
    assert terraform_fmt(text) == want


@needs_terraform
def test_table_is_what_terraform_writes(tmp_path: Path) -> None:
    assert fmt_batch([c[1] for c in CASES], tmp_path) == [c[2] for c in CASES]


def test_format_hcl_adds_the_file_edge_rule() -> None:
    """What the render writes: LF, no outer blank lines, one final newline."""
    assert format_hcl("\n\n\r\na = 1\r\n\n\n\n") == "a = 1\n"
    assert format_hcl("a = 1") == "a = 1\n"
    assert format_hcl("a = 1\n   ") == "a = 1\n"
    assert format_hcl("  \n\n") == ""


def test_format_hcl_settles_nested_unwraps() -> None:
    """terraform fmt unwraps one level per run; the render writes the settled result."""
    text = 'x = "${"${"${y}"}"}"\n'
    assert terraform_fmt(text) == 'x = "${"${y}"}"\n'
    assert format_hcl(text) == "x = y\n"


def test_a_label_terraform_fmt_would_drop_is_refused() -> None:
    """terraform fmt silently drops a label holding "$" (its label rewrite cannot read
    it); the render refuses instead of writing a file whose meaning fmt would change."""
    assert terraform_fmt('resource "a$b" "c" {}\n') == 'resource "c" {}\n'
    with pytest.raises(HCLParseError, match=r"label \"a\$b\" of 'resource' would be dropped"):
        format_hcl('resource "a$b" "c" {}\n')


@pytest.mark.parametrize("text, count", [
    ("abc", 3), ("🇩🇪", 1), ("🇩🇪🇫", 2), ("cafe\u0301", 4), ("👨\u200d👩\u200d👧", 1),
    (" \u200d👩", 2), ("日本", 2), ("\r\n", 1), ("각", 1)])
def test_columns_are_grapheme_clusters(text: str, count: int) -> None:
    assert columns(text) == count
