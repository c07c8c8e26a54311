"""The HCL native-syntax parse check, as Terraform's parser (hclsyntax) decides it.

Accepts and refuses what ``terraform fmt`` (which parses with hclsyntax before it
formats) accepts and refuses, stopping at the first error with its line and column
and hclsyntax's wording. Besides the verdict it records what the formatter needs:
where each attribute's expression lies in the token stream, each block's type,
labels and nesting, so terraform fmt's own rewrites can be applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mwgen.hcl import lexer as t
from mwgen.hcl.lexer import Token, column, tokenize

__all__ = ["HCLParseError", "Attribute", "Block", "Body", "parse", "decode_quoted"]


class HCLParseError(ValueError):
    """Text Terraform would refuse; ``line``/``column`` are 1-based (0: unknown).

    ``str()`` is ``display:line:col: HCL parse error: message`` when a display name
    is given, else ``line:col: message``.
    """

    def __init__(self, message: str, *, line: int = 0, column: int = 0, display: str = "") -> None:
        where = f"{line}:{column}" if column else f"{line}"
        text = f"{display}:{where}: HCL parse error: {message}" if display else f"{where}: {message}"
        super().__init__(text)
        self.message = message
        self.line = line
        self.column = column



@dataclass(slots=True)
class Attribute:
    name: str
    name_at: int  # token index of the name
    expr: tuple[int, int]  # token indices [start, end) of the expression


@dataclass(slots=True)
class Block:
    type: str
    type_at: int
    labels: list[str]
    label_spans: list[tuple[int, int]]  # token indices [start, end) of each label
    open_at: int  # token index of "{"
    body: Body
    where: tuple[int, int] = (0, 0)  # line, column of the type name


@dataclass(slots=True)
class Body:
    attributes: list[Attribute] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


_SKIPPABLE = frozenset((t.COMMENT, t.NEWLINE, t.EOF))
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?\Z")
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{0,4}|U[0-9A-Fa-f]{0,8}|.?)|\$\$\{|%%\{", re.S)
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_UNSUPPORTED_DETAIL = {"&": 'Did you mean boolean AND ("&&")?', "|": 'Did you mean boolean OR ("||")?',
                       "~": 'Did you mean boolean NOT ("!")?'}


def decode_quoted(text: str) -> str | None:
    """The value of a quoted literal token (escapes resolved), None if an escape is bad."""
    if "\\" not in text and "{" not in text:
        return text
    bad = False

    def sub(m: re.Match[str]) -> str:
        nonlocal bad
        s = m.group(0)
        if s in ("$${", "%%{"):
            return s[1:]
        sel = m.group(1)
        if sel in _SIMPLE:
            return _SIMPLE[sel]
        if sel[:1] in ("u", "U") and len(sel) == (5 if sel[0] == "u" else 9):
            code = int(sel[1:], 16)
            if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                bad = True
                return ""
            return chr(code)
        bad = True
        return ""

    value = _ESCAPE.sub(sub, text)
    return None if bad else value


class _Parser:
    """hclsyntax's recursive descent, raising at the first diagnostic."""

    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.i = 0
        self.newlines = [True]
        self.last = 0  # index of the last token read

    # -- peeker ---------------------------------------------------------------------
    def _next(self) -> tuple[Token, int]:
        toks = self.tokens
        i = self.i
        tok = toks[i]
        if tok.type not in _SKIPPABLE:
            return tok, i + 1
        include = self.newlines[-1]
        while True:
            tok = toks[i]
            ty = tok.type
            if ty == t.COMMENT:
                if include and tok.text.endswith("\n"):
                    return Token(t.NEWLINE, "\n", tok.line, tok.pos), i + 1
                i += 1
                continue
            if ty == t.NEWLINE and not include:
                i += 1
                continue
            if ty == t.EOF:
                return tok, i
            return tok, i + 1

    def peek(self) -> Token:
        return self._next()[0]

    def read(self) -> Token:
        tok, nxt = self._next()
        if tok.type != t.EOF:
            self.last = nxt - 1
        self.i = nxt
        return tok

    def fail(self, tok: Token, summary: str, detail: str = "") -> HCLParseError:
        message = f"{summary}; {detail}" if detail else summary
        return HCLParseError(message, line=tok.line, column=column(self.text, tok.pos))

    # -- bodies ---------------------------------------------------------------------
    def body(self, end: str, opener: Token | None) -> Body:
        body = Body()
        names: set[str] = set()
        while True:
            nxt = self.peek()
            if nxt.type == end:
                self.read()
                return body
            if nxt.type == t.NEWLINE:
                self.read()
                continue
            if nxt.type == t.IDENT:
                item = self.body_item()
                if isinstance(item, Block):
                    body.blocks.append(item)
                else:
                    if item.name in names:
                        raise self.fail(self.tokens[item.name_at], "Attribute redefined",
                                        f"The argument {item.name!r} was already set. "
                                        "Each argument may be set only once.")
                    names.add(item.name)
                    body.attributes.append(item)
                continue
            if nxt.type == t.OQUOTE:
                raise self.fail(nxt, "Invalid argument name", "Argument names must not be quoted.")
            if nxt.type == t.EOF:
                raise self.fail(opener or nxt, "Unclosed configuration block",
                                "There is no closing brace for this block before the end of the file.")
            raise self.fail(nxt, "Argument or block definition required",
                            "An argument or block definition is required here.")

    def body_item(self) -> Attribute | Block:
        ident_at = self._next()[1] - 1
        ident = self.read()
        nxt = self.peek()
        if nxt.type == t.EQUAL:
            return self.attribute(ident, ident_at, single_line=False)
        if nxt.type in (t.OQUOTE, t.OBRACE, t.IDENT):
            return self.block(ident, ident_at)
        raise self.fail(ident, "Argument or block definition required",
                        'To set an argument, use the equals sign "=" to introduce the argument value.')

    def attribute(self, ident: Token, ident_at: int, single_line: bool) -> Attribute:
        self.read()  # "="
        start = self._next()[1] - 1
        self.expression()
        attr = Attribute(ident.text, ident_at, (start, self.last + 1))
        if not single_line:
            end = self.peek()
            if end.type not in (t.NEWLINE, t.EOF):
                if end.type == t.COMMA:
                    raise self.fail(end, "Unexpected comma after argument",
                                    "Argument definitions must be separated by newlines, not commas.")
                raise self.fail(end, "Missing newline after argument",
                                "An argument definition must end with a newline.")
            self.read()
        return attr

    def block(self, ident: Token, ident_at: int) -> Block:
        labels: list[str] = []
        spans: list[tuple[int, int]] = []
        while True:
            tok = self.peek()
            if tok.type == t.OBRACE:
                break
            if tok.type == t.OQUOTE:
                start = self._next()[1] - 1
                labels.append(self.quoted_literal())
                spans.append((start, self.last + 1))
            elif tok.type == t.IDENT:
                spans.append((self._next()[1] - 1, self._next()[1]))
                labels.append(self.read().text)
            elif tok.type == t.EQUAL:
                raise self.fail(tok, "Invalid block definition",
                                'The equals sign "=" indicates an argument definition, '
                                "and must not be used when defining a block.")
            elif tok.type == t.NEWLINE:
                raise self.fail(tok, "Invalid block definition",
                                'A block definition must have block content delimited by "{" and "}", '
                                "starting on the same line as the block header.")
            else:
                raise self.fail(tok, "Invalid block definition",
                                'Either a quoted string block label or an opening brace ("{") is '
                                'expected here.')
        open_at = self._next()[1] - 1
        obrace = self.read()
        if self.peek().type in (t.NEWLINE, t.EOF, t.CBRACE):
            body = self.body(t.CBRACE, obrace)
        else:
            body = self.single_attr_body()
            close = self.peek()
            if close.type == t.CBRACE:
                self.read()
            elif close.type == t.COMMA:
                raise self.fail(close, "Invalid single-argument block definition",
                                "Single-line block syntax can include only one argument definition.")
            elif close.type == t.NEWLINE:
                raise self.fail(close, "Invalid single-argument block definition",
                                "An argument definition on the same line as its containing block "
                                "creates a single-line block definition, which must also be closed "
                                "on the same line.")
            elif close.type == t.EOF:
                raise self.fail(obrace, "Unclosed configuration block",
                                "There is no closing brace for this block before the end of the file.")
            else:
                raise self.fail(close, "Invalid single-argument block definition",
                                "A single-line block definition must end with a closing brace "
                                "immediately after its single argument definition.")
        eol = self.peek()
        if eol.type not in (t.NEWLINE, t.EOF):
            raise self.fail(eol, "Missing newline after block definition",
                            "A block definition must end with a newline.")
        self.read()
        return Block(ident.text, ident_at, labels, spans, open_at, body,
                     (ident.line, column(self.text, ident.pos)))

    def single_attr_body(self) -> Body:
        ident_at = self._next()[1] - 1
        ident = self.read()
        if ident.type != t.IDENT:
            raise self.fail(ident, "Argument or block definition required",
                            "An argument or block definition is required here.")
        nxt = self.peek()
        if nxt.type == t.EQUAL:
            return Body(attributes=[self.attribute(ident, ident_at, single_line=True)])
        if nxt.type in (t.OQUOTE, t.OBRACE, t.IDENT):
            raise self.fail(ident, "Argument definition required",
                            "A single-line block definition can contain only a single argument. "
                            "To define a nested block, place it on a line of its own within its "
                            "parent block.")
        raise self.fail(ident, "Argument or block definition required",
                        'To set an argument, use the equals sign "=" to introduce the argument value.')

    def quoted_literal(self) -> str:
        """A block label: a quoted string without template sequences."""
        self.read()  # opening quote
        out: list[str] = []
        while True:
            tok = self.read()
            if tok.type == t.CQUOTE:
                return "".join(out)
            if tok.type == t.QUOTEDLIT:
                value = decode_quoted(tok.text)
                if value is None:
                    raise self.fail(tok, "Invalid escape sequence")
                out.append(value)
            elif tok.type in (t.INTERP, t.CONTROL):
                raise self.fail(tok, "Invalid string literal",
                                "Template sequences are not allowed in this string.")
            elif tok.type == t.EOF:
                raise self.fail(tok, "Unterminated string literal",
                                "Unable to find the closing quote mark before the end of the file.")
            else:
                raise self.fail(tok, "Invalid string literal",
                                "This item is not valid in a string literal.")

    # -- expressions ----------------------------------------------------------------
    def expression(self) -> None:
        self.binary()
        if self.peek().type != t.QUESTION:
            return
        self.read()
        self.expression()
        colon = self.peek()
        if colon.type != t.COLON:
            raise self.fail(colon, "Missing false expression in conditional",
                            "The conditional operator (...?...:...) requires a false expression, "
                            "delimited by a colon.")
        self.read()
        self.expression()

    _BINARY = frozenset((t.OR, t.AND, t.EQUALOP, t.NOTEQUAL, t.GT, t.GTE, t.LT, t.LTE,
                         t.PLUS, t.MINUS, t.STAR, t.SLASH, t.PERCENT))

    def binary(self) -> None:
        """Operands joined by binary operators. Every level of hclsyntax's precedence
        table is left-associative with the same shape, so one loop accepts exactly
        the token sequences the table does (precedence shapes values, not validity)."""
        self.term()
        self.traversals()
        while self.peek().type in self._BINARY:
            self.read()
            self.term()
            self.traversals()

    def traversals(self) -> None:
        while True:
            nxt = self.peek()
            if nxt.type == t.DOT:
                self.read()
                attr = self.peek()
                if attr.type == t.IDENT:
                    self.read()
                elif attr.type == t.NUMBER:
                    self.read()
                    self.legacy_index(attr)
                elif attr.type == t.STAR:
                    self.read()
                    while self.peek().type == t.DOT:
                        self.read()
                        step = self.peek()
                        if step.type == t.NUMBER:
                            self.read()
                            self.legacy_index(step)
                        elif step.type == t.IDENT:
                            self.read()
                        elif step.type == t.STAR:
                            raise self.fail(step, "Nested splat expression not allowed")
                        else:
                            raise self.fail(attr, "Invalid attribute name",
                                            "An attribute name is required after a dot.")
                else:
                    raise self.fail(attr, "Invalid attribute name",
                                    "An attribute name is required after a dot.")
            elif nxt.type == t.OBRACK:
                self.read()
                if self.peek().type == t.STAR:
                    self.read()
                    close = self.read()
                    if close.type != t.CBRACK:
                        raise self.fail(close, "Missing close bracket on splat index",
                                        'The star for a full splat operator must be immediately '
                                        'followed by a closing bracket ("]").')
                    continue
                self.newlines.append(False)
                self.expression()
                close = self.read()
                if close.type != t.CBRACK:
                    raise self.fail(close, "Missing close bracket on index",
                                    'The index operator must end with a closing bracket ("]").')
                self.newlines.pop()
            else:
                return

    def legacy_index(self, tok: Token) -> None:
        if "." in tok.text:
            raise self.fail(tok, "Invalid legacy index syntax",
                            "When using the legacy index syntax, chaining two indexes together is "
                            "not permitted.")
        self.number(tok)

    def number(self, tok: Token) -> None:
        if not _NUMBER.match(tok.text):
            raise self.fail(tok, "Invalid number literal",
                            "Failed to recognize the value of this number literal.")

    def term(self) -> None:
        start = self.peek()
        ty = start.type
        if ty == t.OPAREN:
            self.read()
            self.newlines.append(False)
            self.expression()
            close = self.peek()
            if close.type != t.CPAREN:
                raise self.fail(close, "Unbalanced parentheses",
                                "Expected a closing parenthesis to terminate the expression.")
            self.read()
            self.newlines.pop()
        elif ty == t.NUMBER:
            self.read()
            self.number(start)
        elif ty == t.IDENT:
            self.read()
            if self.peek().type in (t.OPAREN, t.DOUBLECOLON):
                self.call(start)
        elif ty in (t.OQUOTE, t.OHEREDOC):
            self.read()
            self.template(t.CQUOTE if ty == t.OQUOTE else t.CHEREDOC)
        elif ty in (t.MINUS, t.BANG):
            self.read()
            self.term()
            self.traversals()
        elif ty == t.OBRACK:
            self.tuple_cons()
        elif ty == t.OBRACE:
            self.object_cons()
        elif ty == t.EOF:
            raise self.fail(start, "Missing expression",
                            "Expected the start of an expression, but found the end of the file.")
        else:
            raise self.fail(start, "Invalid expression",
                            "Expected the start of an expression, but found an invalid expression "
                            "token.")

    def call(self, name: Token) -> None:
        opener = self.read()
        while opener.type == t.DOUBLECOLON:
            nxt = self.read()
            if nxt.type != t.IDENT:
                raise self.fail(nxt, "Missing function name",
                                "Function scope resolution symbol :: must be followed by a "
                                "function name.")
            opener = self.read()
        if opener.type != t.OPAREN:
            raise self.fail(opener, "Missing open parenthesis",
                            "Function selector must be followed by an open parenthesis.")
        self.newlines.append(False)
        while True:
            if self.peek().type == t.CPAREN:
                self.read()
                break
            self.expression()
            sep = self.read()
            if sep.type == t.CPAREN:
                break
            if sep.type == t.ELLIPSIS:
                if self.peek().type != t.CPAREN:
                    raise self.fail(sep, "Missing closing parenthesis",
                                    "An expanded function argument (with ...) must be immediately "
                                    "followed by closing parentheses.")
                self.read()
                break
            if sep.type != t.COMMA:
                if sep.type == t.EOF:
                    raise self.fail(name, "Unterminated function call",
                                    "There is no closing parenthesis for this function call.")
                raise self.fail(sep, "Missing argument separator",
                                "A comma is required to separate each function argument from the next.")
            if self.peek().type == t.CPAREN:
                self.read()
                break
        self.newlines.pop()

    def tuple_cons(self) -> None:
        opener = self.read()
        self.newlines.append(False)
        if self._is_keyword(self.peek(), "for"):
            self.for_expr(opener, t.CBRACK)
        else:
            while True:
                if self.peek().type == t.CBRACK:
                    self.read()
                    break
                self.expression()
                nxt = self.peek()
                if nxt.type == t.CBRACK:
                    self.read()
                    break
                if nxt.type != t.COMMA:
                    if nxt.type == t.EOF:
                        raise self.fail(opener, "Unterminated tuple constructor expression",
                                        "There is no corresponding closing bracket before the end "
                                        "of the file.")
                    raise self.fail(nxt, "Missing item separator",
                                    "Expected a comma to mark the beginning of the next item.")
                self.read()
        self.newlines.pop()

    def object_cons(self) -> None:
        opener = self.read()
        self.newlines.append(False)
        is_for = self._is_keyword(self.peek(), "for")
        self.newlines.pop()
        if is_for:
            self.newlines.append(False)
            self.for_expr(opener, t.CBRACE)
            self.newlines.pop()
            return
        self.newlines.append(True)
        while True:
            nxt = self.peek()
            if nxt.type == t.NEWLINE:
                self.read()
                continue
            if nxt.type == t.CBRACE:
                self.read()
                break
            self.expression()
            nxt = self.peek()
            if nxt.type not in (t.EQUAL, t.COLON):
                if nxt.type in (t.NEWLINE, t.COMMA):
                    raise self.fail(nxt, "Missing attribute value",
                                    'Expected an attribute value, introduced by an equals sign ("=").')
                if nxt.type == t.EOF:
                    raise self.fail(opener, "Unterminated object constructor expression",
                                    "There is no corresponding closing brace before the end of the "
                                    "file.")
                raise self.fail(nxt, "Missing key/value separator",
                                'Expected an equals sign ("=") to mark the beginning of the '
                                'attribute value.')
            self.read()
            self.expression()
            nxt = self.peek()
            if nxt.type == t.CBRACE:
                self.read()
                break
            if nxt.type not in (t.COMMA, t.NEWLINE):
                if nxt.type == t.EOF:
                    raise self.fail(opener, "Unterminated object constructor expression",
                                    "There is no corresponding closing brace before the end of the "
                                    "file.")
                raise self.fail(nxt, "Missing attribute separator",
                                "Expected a newline or comma to mark the beginning of the next "
                                "attribute.")
            self.read()
        self.newlines.pop()

    @staticmethod
    def _is_keyword(tok: Token, word: str) -> bool:
        return tok.type == t.IDENT and tok.text == word

    def for_head(self, what: str) -> None:
        """``k, v in collection`` of a for expression or directive ("for" already read)."""
        bad = f"Invalid 'for' {what}"
        if self.peek().type != t.IDENT:
            raise self.fail(self.peek(), bad, f"For {what} requires variable name after 'for'.")
        self.read()
        if self.peek().type == t.COMMA:
            self.read()
            if self.peek().type != t.IDENT:
                raise self.fail(self.peek(), bad,
                                f"For {what} requires value variable name after comma.")
            self.read()
        if not self._is_keyword(self.peek(), "in"):
            raise self.fail(self.peek(), bad, f"For {what} requires the 'in' keyword after its names.")
        self.read()
        self.expression()

    def for_expr(self, opener: Token, close: str) -> None:
        self.newlines.append(False)
        self.read()  # "for"
        bad = "Invalid 'for' expression"
        self.for_head("expression")
        if self.peek().type != t.COLON:
            raise self.fail(self.peek(), bad,
                            "For expression requires a colon after the collection expression.")
        self.read()
        self.expression()
        has_key = False
        if self.peek().type == t.FATARROW:
            self.read()
            has_key = True
            self.expression()
        group = None
        if self.peek().type == t.ELLIPSIS:
            group = self.read()
        if self._is_keyword(self.peek(), "if"):
            self.read()
            self.expression()
        end = self.peek()
        if end.type != close:
            raise self.fail(end, bad, "Extra characters after the end of the 'for' expression.")
        self.read()
        if close == t.CBRACK and has_key:
            raise self.fail(opener, bad, "Key expression is not valid when building a tuple.")
        if close == t.CBRACK and group is not None:
            raise self.fail(group, bad, "Grouping ellipsis (...) cannot be used when building a tuple.")
        if close == t.CBRACE and not has_key:
            raise self.fail(opener, bad, "Key expression is required when building an object.")
        self.newlines.pop()

    # -- templates ------------------------------------------------------------------
    def template(self, end: str) -> None:
        """A quoted or heredoc template up to ``end``; directives must balance."""
        stack: list[tuple[str, Token]] = []  # open "if"/"for" directives
        else_seen: list[bool] = []
        while True:
            tok = self.read()
            ty = tok.type
            if ty == end:
                break
            if ty == t.QUOTEDLIT:
                if decode_quoted(tok.text) is None:
                    raise self.fail(tok, "Invalid escape sequence")
            elif ty == t.STRINGLIT:
                pass
            elif ty == t.INTERP:
                self.newlines.append(False)
                self.expression()
                self._close_sequence(end, "interpolation")
                self.newlines.pop()
            elif ty == t.CONTROL:
                self.newlines.append(False)
                self.directive(tok, stack, else_seen)
                self.newlines.pop()
            else:
                raise self.fail(tok, "Unterminated template string",
                                "No closing marker was found for the string.")
        if stack:
            kind, opener = stack[-1]
            raise self.fail(tok, "Unexpected end of template",
                            f"The {kind} directive at {opener.line}:{column(self.text, opener.pos)} "
                            f"is missing its corresponding end{kind} directive.")

    def _close_sequence(self, end: str, what: str) -> None:
        close = self.peek()
        if close.type == t.SEQEND:
            self.read()
            return
        if close.type == t.EOF:
            raise self.fail(close, "Unclosed template interpolation sequence",
                            "There is no closing brace for this interpolation sequence before the "
                            "end of the file.")
        if close.type in (t.CQUOTE, t.OQUOTE) and end == t.CQUOTE and what == "interpolation":
            raise self.fail(close, "Unclosed template interpolation sequence",
                            "There is no closing brace for this interpolation sequence before the end "
                            "of the quoted template.")
        if what == "interpolation":
            raise self.fail(close, "Extra characters after interpolation expression",
                            "Expected a closing brace to end the interpolation expression.")
        raise self.fail(close, f"Extra characters in {what} marker",
                        "Expected a closing brace to end the sequence, but found extra characters.")

    def directive(self, opener: Token, stack: list[tuple[str, Token]], else_seen: list[bool]) -> None:
        kw = self.peek()
        if kw.type != t.IDENT:
            raise self.fail(kw, "Invalid template directive",
                            'A template directive keyword ("if", "for", etc) is expected at the '
                            "beginning of a %{ sequence.")
        self.read()
        word = kw.text
        if word == "if":
            self.expression()
            stack.append(("if", opener))
            else_seen.append(False)
        elif word == "for":
            self.for_head("directive")
            stack.append(("for", opener))
            else_seen.append(False)
        elif word in ("else", "endif", "endfor"):
            top = stack[-1][0] if stack else None
            if word == "else" and (top != "if" or else_seen[-1]):
                raise self.fail(opener, "Unexpected else directive",
                                "The control directives within this template are unbalanced.")
            if word == "endif" and top != "if" or word == "endfor" and top != "for":
                raise self.fail(opener, f"Unexpected {word} directive",
                                "The control directives within this template are unbalanced.")
            if word == "else":
                else_seen[-1] = True
            else:
                stack.pop()
                else_seen.pop()
        else:
            raise self.fail(kw, "Invalid template control keyword",
                            f"{word!r} is not a valid template control keyword.")
        self._close_sequence(t.CQUOTE, f"{word}")


def _lexical_errors(text: str, tokens: list[Token]) -> HCLParseError | None:
    """The first token hclsyntax's scanner check refuses, as its diagnostic."""
    for tok in tokens:
        ty = tok.type
        if ty in t.UNSUPPORTED:
            detail = _UNSUPPORTED_DETAIL.get(ty, "")
            return HCLParseError(f"{t.UNSUPPORTED[ty]}: {tok.text!r}" + (f"; {detail}" if detail else ""),
                                  line=tok.line, column=column(text, tok.pos))
        if ty == t.QUOTEDNEWLINE:
            return HCLParseError("Invalid multi-line string; quoted strings may not be split over multiple "
                                  "lines. To produce a multi-line string, either use the \\n escape to "
                                  "represent a newline character or use the \"heredoc\" multi-line "
                                  "template "
                                  "syntax.", line=tok.line, column=column(text, tok.pos))
        if ty == t.INVALID:
            return HCLParseError(f"Invalid character: {tok.text!r}", line=tok.line,
                                 column=column(text, tok.pos))
    return None


def parse(text: str, tokens: list[Token] | None = None) -> tuple[Body, list[Token]]:
    """The body and tokens of ``text``; :class:`HCLParseError` if Terraform refuses it.

    Terraform lists a file's diagnostics by position, so of the scanner's first
    complaint and the parser's the one that comes first in the text is reported.
    """
    if tokens is None:
        tokens = tokenize(text)
    if text.startswith("\ufeff"):
        text = text[1:]
    lexical = _lexical_errors(text, tokens)
    parser = _Parser(text, tokens)
    try:
        body = parser.body(t.EOF, None)
    except HCLParseError as err:
        if lexical is not None and (lexical.line, lexical.column) <= (err.line, err.column):
            raise lexical from None
        raise
    except RecursionError:
        tok = tokens[min(parser.i, len(tokens) - 1)]
        raise HCLParseError("Expression nested too deeply", line=tok.line,
                            column=column(text, tok.pos)) from None
    if lexical is not None:
        raise lexical
    return body, tokens
