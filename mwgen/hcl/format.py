"""``terraform fmt`` in pure Python: terraform's rewrites, then hclwrite's formatter.

:func:`terraform_fmt` returns, byte for byte, what ``terraform fmt`` writes for a
file (``terraform fmt -`` prints the same text and adds a final newline when the
result has none). It works the way terraform does, on the token stream:

1. terraform's own rewrites (internal/command/fmt.go): an attribute whose value is
   one interpolation (``"${var.x}"``) becomes the bare expression, wrapped in
   parentheses when it spans lines; ``type`` of a top-level ``variable`` block loses
   pre-0.12 quotes (``"string"``) and gains an element type (``list`` →
   ``list(any)``); every block label is re-written quoted and re-escaped
   (``variable x {`` → ``variable "x" {``, comments between labels dropped);
2. hclwrite's formatter (hclwrite/format.go): indentation by bracket nesting per
   line, one rule table for the space between two tokens, and alignment of ``=`` and
   of trailing comments over consecutive lines, counted in grapheme clusters.

Only whitespace and those rewrites change; strings, comments and heredoc bodies are
kept byte for byte.
"""

from __future__ import annotations

import regex

from mwgen.hcl import lexer as t
from mwgen.hcl.lexer import Token
from mwgen.hcl.parser import Body, HCLParseError, decode_quoted, parse

__all__ = ["terraform_fmt", "format_tokens", "rewrite", "columns"]


# -- terraform's rewrites ---------------------------------------------------------------

def _escape_label(value: str) -> str:
    """hclwrite's quoted-literal escaping (generate.go escapeQuotedStringLit)."""
    out = []
    n = len(value)
    for i, c in enumerate(value):
        if c == "\n":
            out.append("\\n")
        elif c == "\r":
            out.append("\\r")
        elif c == "\t":
            out.append("\\t")
        elif c == '"':
            out.append('\\"')
        elif c == "\\":
            out.append("\\\\")
        elif c in "$%":
            out.append(c + c if i + 1 < n and value[i + 1] == "{" else c)
        elif not c.isprintable():
            code = ord(c)
            out.append(f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(c)
    return "".join(out)


def _label_value(tokens: list[Token], start: int, end: int) -> str | None:
    """What hclwrite's Labels() reads from a label's tokens; None drops the label."""
    span = tokens[start:end]
    if len(span) == 1 and span[0].type == t.IDENT:
        return span[0].text
    if len(span) == 3 and span[1].type == t.QUOTEDLIT:
        return decode_quoted(span[1].text)
    if len(span) == 2:
        return ""
    return None


def _label_tokens(value: str, first: Token) -> list[Token]:
    line, col = first.line, first.pos
    out = [Token(t.OQUOTE, '"', line, col), Token(t.QUOTEDLIT, _escape_label(value), line, col),
           Token(t.CQUOTE, '"', line, col)]
    return out


def _trim_newlines(tokens: list[Token]) -> list[Token]:
    start, end = 0, len(tokens)
    while start < end and tokens[start].type == t.NEWLINE:
        start += 1
    while end > start and tokens[end - 1].type == t.NEWLINE:
        end -= 1
    return tokens[start:end]


def _value_expr(tokens: list[Token]) -> list[Token] | None:
    """``"${expr}"`` unwrapped to ``expr`` (fmt.go formatValueExpr); None: unchanged."""
    if len(tokens) < 5:
        return None
    if (tokens[0].type != t.OQUOTE or tokens[1].type != t.INTERP
            or tokens[-2].type != t.SEQEND or tokens[-1].type != t.CQUOTE):
        return None
    inside = tokens[2:-2]
    quotes = 0
    for tok in inside:
        if tok.type == t.OQUOTE:
            quotes += 1
        elif tok.type == t.CQUOTE:
            quotes -= 1
        elif quotes > 0:
            continue
        elif tok.type in (t.INTERP, t.SEQEND, t.QUOTEDLIT):
            return None
    trimmed = _trim_newlines(inside)
    multi_line = False
    leading = trailing = False
    for i, tok in enumerate(trimmed):
        if i == 0 and tok.type == t.OPAREN:
            leading = True
        elif tok.type == t.NEWLINE:
            multi_line = True
        elif i == len(trimmed) - 1 and tok.type == t.CPAREN:
            trailing = True
    if multi_line and not (leading and trailing):
        first = trimmed[0]
        return [Token(t.OPAREN, "(", first.line, first.pos), *trimmed,
                Token(t.CPAREN, ")", first.line, first.pos)]
    return trimmed


_COLLECTIONS = {"list", "map", "set"}
_LEGACY_TYPES = {"string": ("string",), "list": ("list", "(", "string", ")"),
                 "map": ("map", "(", "string", ")")}


def _type_expr(tokens: list[Token]) -> list[Token] | None:
    """A variable's ``type`` as fmt.go formatTypeExpr writes it; None: unchanged."""
    words: tuple[str, ...] | None = None
    if len(tokens) == 1 and tokens[0].type == t.IDENT and tokens[0].text in _COLLECTIONS:
        words = (tokens[0].text, "(", "any", ")")
    elif (len(tokens) == 3 and tokens[0].type == t.OQUOTE and tokens[1].type == t.QUOTEDLIT
          and tokens[2].type == t.CQUOTE):
        words = _LEGACY_TYPES.get(tokens[1].text)
    if words is None:
        return None
    first = tokens[0]
    kinds = {"(": t.OPAREN, ")": t.CPAREN}
    return [Token(kinds.get(w, t.IDENT), w, first.line, first.pos) for w in words]


def _rewrites(body: Body, tokens: list[Token], path: tuple[str, ...],
              out: dict[int, tuple[int, list[Token]]], strict: bool) -> None:
    """Collect replacements: start index -> (end index, new tokens)."""
    for attr in body.attributes:
        start, end = attr.expr
        span = tokens[start:end]
        if path == ("variable",) and attr.name == "type":
            new = _type_expr(span)
        else:
            new = _value_expr(span)
        if new is not None:
            out[start] = (end, new)
    for block in body.blocks:
        if block.label_spans:
            # hclwrite drops what lies between the type and the first label too.
            first, last = block.type_at + 1, block.label_spans[-1][1]
            labels: list[Token] = []
            for start, end in block.label_spans:
                value = _label_value(tokens, start, end)
                if value is not None:
                    labels.extend(_label_tokens(value, tokens[start]))
                elif strict:
                    tok = tokens[start]
                    raise HCLParseError(
                        f"block label {''.join(x.text for x in tokens[start:end])} of {block.type!r} "
                        "would be dropped by terraform fmt (it cannot rewrite a label holding "
                        "'$' or '%'); write it without them", line=tok.line)
            out[first] = (last, labels)
        _rewrites(block.body, tokens, (*path, block.type), out, strict)


def rewrite(body: Body, tokens: list[Token], strict: bool = False) -> tuple[list[Token], bool]:
    """``tokens`` after terraform fmt's rewrites, and whether any changed the text.

    ``strict`` refuses a label terraform fmt would drop instead of dropping it.
    """
    changes: dict[int, tuple[int, list[Token]]] = {}
    _rewrites(body, tokens, (), changes, strict)
    out: list[Token] = []
    changed = False
    i, n = 0, len(tokens)
    while i < n:
        change = changes.get(i)
        if change is None:
            out.append(tokens[i])
            i += 1
            continue
        end, new = change
        if not changed and [x.text for x in tokens[i:end]] != [x.text for x in new]:
            changed = True
        out.extend(new)
        i = end
    return out, changed


# -- hclwrite's formatter -----------------------------------------------------------------

_CLUSTER = regex.compile(r"\X")


def columns(text: str) -> int:
    """Grapheme clusters in ``text``: what hclwrite counts to align (go-textseg), so a
    flag, a ZWJ family or a letter with combining accents is one column."""
    if text.isascii():
        return len(text) - text.count("\r\n")
    return len(_CLUSTER.findall(text))


def _cols(tokens: list[Token]) -> int:
    return sum(tok.spaces + columns(tok.text) for tok in tokens)


def _bracket(ty: str) -> int:
    if ty in t.OPENERS:
        return 1
    if ty in t.CLOSERS:
        return -1
    return 0


_NIL = Token("\x00", "", 0, 0)
_NEGATION_BEFORE = frozenset((
    "\x00", t.OPAREN, t.OBRACE, t.OBRACK, t.EQUAL, t.COLON, t.COMMA, t.QUESTION,
    t.PLUS, t.STAR, t.SLASH, t.PERCENT, t.MINUS,
    t.EQUALOP, t.NOTEQUAL, t.GT, t.GTE, t.LT, t.LTE, t.AND, t.OR, t.BANG))
_LITERALS = frozenset((t.QUOTEDLIT, t.STRINGLIT, t.OQUOTE, t.OHEREDOC))
_LITERALS_AFTER = frozenset((t.QUOTEDLIT, t.STRINGLIT, t.CQUOTE, t.CHEREDOC))


def _space_after(subject: Token, before: Token, after: Token) -> bool:
    """hclwrite's spaceAfterToken, rule for rule."""
    s, a = subject.type, after.type
    if a == t.NEWLINE or a == "\x00":
        return False
    if s == t.IDENT and a == t.OPAREN:
        return False
    if (s == t.IDENT and a == t.DOUBLECOLON) or (s == t.DOUBLECOLON and a == t.IDENT):
        return False
    if s == t.DOT or a == t.DOT:
        return False
    if a == t.COMMA or a == t.ELLIPSIS:
        return False
    if s == t.COMMA:
        return True
    if s in _LITERALS or a in _LITERALS_AFTER:
        return False
    if s == t.IDENT and subject.text == "in" and before.type == t.IDENT:
        return True
    if a == t.OBRACK and (s == t.IDENT or s == t.NUMBER or _bracket(s) < 0):
        return False
    if s == t.BANG:
        return False
    if s == t.MINUS:
        return before.type not in _NEGATION_BEFORE
    if s == t.OBRACE or a == t.CBRACE:
        return not (s == t.OBRACE and a == t.CBRACE)
    if (s == t.INTERP or s == t.CONTROL) and a == t.OBRACE:
        return True
    if s == t.CBRACE and a == t.SEQEND:
        return True
    if s == t.SEQEND and (a == t.INTERP or a == t.CONTROL):
        return False
    if _bracket(s) > 0:
        return False
    if _bracket(a) < 0:
        return False
    return True


def _is_newline(tok: Token) -> bool:
    return tok.type == t.NEWLINE or (tok.type == t.COMMENT and tok.text.endswith("\n"))


def _space_cell(cell: list[Token]) -> None:
    before = _NIL
    last = len(cell) - 1
    for i, tok in enumerate(cell):
        if i < last:
            after = cell[i + 1]
            after.spaces = 1 if _space_after(tok, before, after) else 0
        before = tok


def format_tokens(tokens: list[Token]) -> str:
    """hclwrite's format(): lines, indentation, spaces, aligned cells; then the text."""
    # linesForFormat
    lines: list[list[Token]] = []
    current: list[Token] = []
    eof: Token | None = None
    for tok in tokens:
        if tok.type == t.EOF:
            eof = tok
            break
        current.append(tok)
        if _is_newline(tok):
            lines.append(current)
            current = []
    lines.append(current)
    cells: list[tuple[list[Token], list[Token] | None, list[Token] | None]] = []
    for lead in lines:
        comment = None
        assign = None
        if len(lead) > 1 and lead[-1].type == t.COMMENT:
            comment = lead[-1:]
            lead = lead[:-1]
        for i in range(1, len(lead)):
            if lead[i].type == t.EQUAL:
                if sum(_bracket(tok.type) for tok in lead[i:]) == 0:
                    assign = lead[i:]
                    lead = lead[:i]
                break
        cells.append((lead, assign, comment))
    # formatIndent
    indents: list[int] = []
    for lead, assign, _ in cells:
        if not lead:
            continue
        if lead[0].type == t.NEWLINE:
            lead[0].spaces = 0
            continue
        net = 0
        for tok in lead:
            net += _bracket(tok.type)
            if tok.type == t.OHEREDOC:
                break
        if assign:
            net += sum(_bracket(tok.type) for tok in assign)
        if net > 0:
            lead[0].spaces = 2 * len(indents)
            indents.append(net)
            continue
        if net < 0:
            closed = -net
            while closed > 0 and indents:
                if closed > indents[-1]:
                    closed -= indents.pop()
                elif closed < indents[-1]:
                    indents[-1] -= closed
                    closed = 0
                else:
                    indents.pop()
                    closed = 0
        lead[0].spaces = 2 * len(indents)
    # formatSpaces
    for lead, assign, _ in cells:
        _space_cell(lead)
        if assign:
            assign[0].spaces = 1
            _space_cell(assign)
    # formatCells
    _align(cells, with_assign=False)
    _align(cells, with_assign=True)
    parts = []
    for tok in tokens:
        if tok.type == t.EOF:
            break
        if tok.spaces:
            parts.append(" " * tok.spaces)
        parts.append(tok.text)
    if eof is not None and eof.spaces:
        parts.append(" " * eof.spaces)
    return "".join(parts)


def _align(cells: list[tuple[list[Token], list[Token] | None, list[Token] | None]],
           with_assign: bool) -> None:
    """Pad the assign cells (first pass) or the comment cells (second pass) of runs
    of consecutive lines that have one, to one column."""
    index = 2 if with_assign else 1
    start = -1
    widest = 0
    widths: list[int] = []
    for i in range(len(cells) + 1):
        cell = cells[i][index] if i < len(cells) else None
        if cell is not None:
            lead, assign, _ = cells[i]
            width = _cols(lead) + (_cols(assign) if with_assign and assign else 0)
            if start < 0:
                start = i
                widest = 0
                widths = []
            widths.append(width)
            widest = max(widest, width)
            continue
        if start >= 0:
            for k, width in enumerate(widths):
                target = cells[start + k][index]
                assert target is not None
                target[0].spaces = widest - width + 1
            start = -1


def terraform_fmt(text: str) -> str:
    """What ``terraform fmt`` writes for ``text`` (HCLParseError where terraform refuses it)."""
    body, tokens = parse(text)
    return format_tokens(rewrite(body, tokens)[0])
