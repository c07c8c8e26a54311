"""HCL tokens as hclsyntax cuts them (mwgen.hcl.lexer): the boundaries the formatter
and the parse check both rely on."""

from __future__ import annotations

from mwgen.hcl import lexer as t
from mwgen.hcl.lexer import column, tokenize


def kinds(text: str) -> list[tuple[str, str]]:
    return [(tok.type, tok.text) for tok in tokenize(text)]


def test_a_template_string_is_cut_into_its_parts() -> None:
    assert kinds('a = "x${b}"\n') == [
        (t.IDENT, "a"), (t.EQUAL, "="), (t.OQUOTE, '"'), (t.QUOTEDLIT, "x"),
        (t.INTERP, "${"), (t.IDENT, "b"), (t.SEQEND, "}"), (t.CQUOTE, '"'),
        (t.NEWLINE, "\n"), (t.EOF, "")]


def test_a_hash_comment_owns_its_newline() -> None:
    toks = tokenize("a = 1 # note\nb = 2\n")
    comment = next(tok for tok in toks if tok.type == t.COMMENT)
    assert comment.text == "# note\n"
    assert [tok.type for tok in toks].count(t.NEWLINE) == 1  # only after b = 2


def test_positions_lines_and_spaces_before() -> None:
    toks = tokenize('x {\n  n   = 1.5e3\n}\n')
    n = next(tok for tok in toks if tok.text == "1.5e3")
    assert (n.type, n.line, n.spaces) == (t.NUMBER, 2, 1)
    eq = next(tok for tok in toks if tok.type == t.EQUAL)
    assert eq.spaces == 3
    assert column('x {\n  n   = 1.5e3\n}\n', n.pos) == 9


def test_operators_are_one_token_each() -> None:
    assert [k for k, _ in kinds("a == b && c != d\n")][:7] == [
        t.IDENT, t.EQUALOP, t.IDENT, t.AND, t.IDENT, t.NOTEQUAL, t.IDENT]
    assert (t.FATARROW, "=>") in kinds("{ for k, v in m : k => v }\n")


def test_heredoc_markers_are_tokens_of_their_own() -> None:
    types = [k for k, _ in kinds("a = <<EOT\nhello\nEOT\n")]
    assert types[2] == t.OHEREDOC and t.CHEREDOC in types


def test_identifiers_may_hold_dashes_and_unicode_letters() -> None:
    assert kinds("my-name = 1\n")[0] == (t.IDENT, "my-name")
    assert kinds("café = 1\n")[0] == (t.IDENT, "café")


def test_characters_hcl_has_no_use_for_scan_as_their_own_token() -> None:
    assert kinds("a = 1;\n")[3] == (";", ";")  # the parse check names it from UNSUPPORTED
    assert t.UNSUPPORTED[";"] == "Invalid character"
