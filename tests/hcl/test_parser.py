"""The HCL parse check accepts and refuses what Terraform does (issue #18).

python-hcl2 refused the first table and accepted the second. Where terraform is
installed both tables are checked against it too, with the line it reports.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mwgen.hcl import HCLParseError, check_hcl
from mwgen.hcl.lexer import tokenize
from mwgen.hcl.parser import decode_quoted
from tests.hcl.terraform import first_errors, needs_terraform

VALID = [
    'x = "${~ name ~}"\n',
    "𝒜 = 1\n",
    'resource "a" /* between labels */ "b" {\n}\n',
    "x = a[ * ].id\n",
    "a = /* c */ 1\n",
    "a = { for k, v in m : k => v... if v != null }\n",
    'a = "%{ for x in xs }${x}%{ endfor }%{ if a }b%{ else }c%{ endif }"\n',
    "a = <<-EOT\n    ${x}\n    EOT\n",
    "a = provider::aws::arn_parse(x)\n",
    "a = f(xs...)\n",
    "a = x.0\n",
    "a = 1.e3\n",
    'a = "$${not} %%{interp}"\n',
    "b { a = 1 }\n",
    "a = [\n  1,\n  2,\n]\n",
    "foo-bar = b-c\n",
]

INVALID: list[tuple[str, int, int, str]] = [
    ('terraform {backend "s3" {}}\n', 1, 12, "Argument definition required"),
    ("a = { for = 1 }\n", 1, 11, "Invalid 'for' expression"),
    ("a = 1\na = 2\n", 2, 1, "Attribute redefined"),
    ('a = "x\ny"\n', 1, 7, "Invalid multi-line string"),
    ("a = 'x'\n", 1, 5, "Invalid character"),
    ("a = 1; b = 2\n", 1, 6, "Invalid character"),
    ("a = b & c\n", 1, 7, "Unsupported operator"),
    ('a = "%{ if x }y"\n', 1, 16, "Unexpected end of template"),
    ('a = "%{ endif }"\n', 1, 6, "Unexpected endif directive"),
    ('a = "\\q"\n', 1, 6, "Invalid escape sequence"),
    ('resource "x" "${y}" {}\n', 1, 15, "Invalid string literal"),
    ("a = 1.2.3\n", 1, 5, "Invalid number literal"),
    ("a = x.0.1\n", 1, 7, "Invalid legacy index syntax"),
    ("b { a = 1, c = 2 }\n", 1, 10, "Invalid single-argument block definition"),
    ("b {\n  a = 1\n", 1, 3, "Unclosed configuration block"),
    ("a = 1 b = 2\n", 1, 7, "Missing newline after argument"),
    ('"a" = 1\n', 1, 1, "Invalid argument name"),
    ("b = [for x in y : x...]\n", 1, 20, "Invalid 'for' expression"),
    ("b\n{\n}\n", 1, 1, "Argument or block definition required"),
    ('b "x"\n{\n}\n', 1, 6, "Invalid block definition"),
    ('a = "${x"\n', 1, 9, "Unclosed template interpolation sequence"),
    ("a = <<EOT\nx\ry\nEOT\n", 2, 2, "Invalid character"),
]


@pytest.mark.parametrize("text", VALID)
def test_accepts_what_terraform_accepts(text: str) -> None:
    check_hcl(text)


@pytest.mark.parametrize("text, line, column, summary", INVALID, ids=[c[3] for c in INVALID])
def test_refuses_what_terraform_refuses(text: str, line: int, column: int, summary: str) -> None:
    with pytest.raises(HCLParseError) as caught:
        check_hcl(text)
    assert (caught.value.line, caught.value.column) == (line, column)
    assert caught.value.message.startswith(summary)


def test_message_names_the_file_when_asked() -> None:
    with pytest.raises(HCLParseError, match=r"^output/x\.tf:4:7: HCL parse error: Invalid expression"):
        check_hcl('a = 1\nb = 2\nresource "x" {\n  c = = 3\n', "output/x.tf")


@needs_terraform
def test_tables_agree_with_terraform(tmp_path: Path) -> None:
    texts = VALID + [case[0] for case in INVALID]
    got = first_errors(texts, tmp_path)
    assert got[:len(VALID)] == [None] * len(VALID)
    assert got[len(VALID):] == [(case[3], case[1]) for case in INVALID]


def test_tokens_match_hclsyntax() -> None:
    """The cuts that matter downstream: a comment owns its newline, ``${~`` is one
    token, a heredoc's close marker keeps its indentation, ``a-b`` is one identifier."""
    tokens = [(tok.type, tok.text) for tok in tokenize('a-b = "${~x}" # c\nh = <<-E\n  E\n')]
    assert tokens == [("I", "a-b"), ("=", "="), ("«", '"'), ("∫", "${~"), ("I", "x"), ("∎", "}"),
                      ("»", '"'), ("C", "# c\n"), ("I", "h"), ("=", "="), ("H", "<<-E\n"), ("h", "  E"),
                      ("\n", "\n"), ("␄", "")]


@pytest.mark.parametrize("text, value", [
    ("plain", "plain"), ('\\"q\\"', '"q"'), ("\\u0041\\U0001F600", "A\U0001F600"), ("$${x}", "${x}"),
    ("\\n\\t\\\\", "\n\t\\"), ("\\q", None), ("\\u00", None), ("\\ud800", None)])
def test_quoted_literal_escapes(text: str, value: str | None) -> None:
    assert decode_quoted(text) == value
