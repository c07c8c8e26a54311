"""HCL native-syntax tokens, as Terraform's scanner (hclsyntax) cuts them.

The formatter and the parse check both work on this token stream, so both see the
file exactly as ``terraform fmt`` does: the same token boundaries (a ``#`` comment
owns its newline, a heredoc's closing marker is its own token, ``${~`` is one
token), the same identifiers (Unicode ID_Start/ID_Continue plus ``-``) and the same
invalid characters. Token types are the one-character codes hclsyntax uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Token", "column", "tokenize"]

# Token types (hclsyntax's TokenType runes).
OBRACE, CBRACE, OBRACK, CBRACK, OPAREN, CPAREN = "{", "}", "[", "]", "(", ")"
OQUOTE, CQUOTE, OHEREDOC, CHEREDOC = "«", "»", "H", "h"
STAR, SLASH, PLUS, MINUS, PERCENT = "*", "/", "+", "-", "%"
EQUAL, EQUALOP, NOTEQUAL = "=", "≔", "≠"
LT, LTE, GT, GTE, AND, OR, BANG = "<", "≤", ">", "≥", "∧", "∨", "!"
DOT, COMMA, DOUBLECOLON, ELLIPSIS, FATARROW, QUESTION, COLON = ".", ",", "⸬", "…", "⇒", "?", ":"
INTERP, CONTROL, SEQEND = "∫", "λ", "∎"
QUOTEDLIT, STRINGLIT, NUMBER, IDENT, COMMENT, NEWLINE, EOF = "Q", "S", "N", "I", "C", "\n", "␄"
INVALID, QUOTEDNEWLINE = "�", "␤"
# Characters that scan as a token of their own but that HCL has no use for.
UNSUPPORTED = {"&": "Unsupported operator", "|": "Unsupported operator",
               "~": "Unsupported operator", "^": "Unsupported operator",
               "`": "Invalid character", "'": "Invalid character", ";": "Invalid character"}

_MULTILINE = frozenset((NEWLINE, COMMENT, STRINGLIT, OHEREDOC, QUOTEDNEWLINE, INVALID))
OPENERS = frozenset((OBRACE, OBRACK, OPAREN, INTERP, CONTROL))
CLOSERS = frozenset((CBRACE, CBRACK, CPAREN, SEQEND))


@dataclass(slots=True)
class Token:
    """One token; ``pos`` is its offset in the text, ``spaces`` the blank run before
    it (hclwrite's SpacesBefore)."""

    type: str
    text: str
    line: int
    pos: int
    spaces: int = 0


def column(text: str, pos: int) -> int:
    """1-based column (in characters) of offset ``pos`` of ``text``."""
    return pos - text.rfind("\n", 0, pos)


_MAIN = re.compile(r"""
    (?P<sp>[ \t]+)
  | (?P<num>[0-9](?:[0-9.]|[eE][+-]?[0-9])*)
  | (?P<id>[A-Za-z_][A-Za-z0-9_-]*)
  | (?P<com>\#[^\n]*\n?|//[^\n]*\n?|/\*.*?\*/)
  | (?P<nl>\r?\n)
  | (?P<heredoc><<-?[A-Za-z_][A-Za-z0-9_-]*\r?\n)
  | (?P<op>==|!=|>=|<=|&&|\|\||::|\.\.\.|=>|~\})
  | (?P<self>[\[\]().,*/%+\-=<>!?:&|~^;`'{}"])
""", re.X | re.S)
_OPS = {"==": EQUALOP, "!=": NOTEQUAL, ">=": GTE, "<=": LTE, "&&": AND, "||": OR,
        "::": DOUBLECOLON, "...": ELLIPSIS, "=>": FATARROW}
_QUOTED_RUN = re.compile(r'(?:\\[^\r\n]|[^$%"\\\r\n])+')
_HEREDOC_RUN = re.compile(r"[^$%\r\n]+")
_NEWLINES = re.compile(r"[\r\n]+")


def _ident_end(text: str, i: int) -> int:
    """End of the identifier starting at ``i`` (0 length if none): ID_Start or ``_``,
    then ID_Continue or ``-``. Python's XID tables stand in for the Unicode 9.0 ID
    tables hclsyntax was generated from (they agree on every character 9.0 assigns,
    except a handful XID excludes; newer characters are a documented difference)."""
    n = len(text)
    c = text[i]
    if not (c == "_" or c.isidentifier()):
        return i
    j = i + 1
    while j < n:
        c = text[j]
        if c.isascii():
            if c.isalnum() or c in "_-":
                j += 1
                continue
            break
        if ("a" + c).isidentifier():
            j += 1
            continue
        break
    return j


class _Lexer:
    """The scanner's modes: main (code), quoted template, heredoc template."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[Token] = []
        self.pos = 0
        self.line = 1
        self.last_end = 0

    def emit(self, ty: str, end: int) -> None:
        text = self.text[self.pos:end]
        self.tokens.append(Token(ty, text, self.line, self.pos, self.pos - self.last_end))
        if ty in _MULTILINE:
            self.line += text.count("\n")
        self.pos = self.last_end = end

    def skip(self, end: int) -> None:
        self.pos = end

    def run(self) -> list[Token]:
        self.main(until_brace=None)
        while self.pos < len(self.text):  # a stray "}" ended main: keep scanning
            self.main(until_brace=None)
        self.tokens.append(Token(EOF, "", self.line, self.pos, self.pos - self.last_end))
        return self.tokens

    def main(self, until_brace: int | None) -> None:
        """Code tokens; returns after the ``}`` that closes an interpolation."""
        text, n = self.text, len(self.text)
        braces = 0
        while self.pos < n:
            m = _MAIN.match(text, self.pos)
            if m is None or m.lastgroup == "id" and m.end() < n and not text[m.end()].isascii():
                end = _ident_end(text, self.pos)
                self.emit(IDENT if end > self.pos else INVALID, max(end, self.pos + 1))
                continue
            kind = m.lastgroup
            end = m.end()
            if kind == "sp":
                self.skip(end)
            elif kind == "num":
                while text[end - 1] == ".":
                    end -= 1
                self.emit(NUMBER, end)
            elif kind == "id":
                self.emit(IDENT, end)
            elif kind == "com":
                self.emit(COMMENT, end)
            elif kind == "nl":
                self.emit(NEWLINE, end)
            elif kind == "heredoc":
                marker = m.group(0)[2:].rstrip("\r\n").lstrip("-")
                self.emit(OHEREDOC, end)
                self.heredoc(marker)
            elif kind == "op":
                op = m.group(0)
                if op == "~}":
                    self.emit(SEQEND, end)
                    if until_brace is not None and braces == 0:
                        return
                    braces -= 1
                else:
                    self.emit(_OPS[op], end)
            else:
                c = m.group(0)
                if c == "{":
                    braces += 1
                    self.emit(OBRACE, end)
                elif c == "}":
                    if until_brace is not None and braces == 0:
                        self.emit(SEQEND, end)
                        return
                    braces -= 1
                    self.emit(CBRACE, end)
                elif c == '"':
                    self.emit(OQUOTE, end)
                    self.quoted()
                else:
                    self.emit(c, end)

    def _template_seq(self, end: int) -> bool:
        """``${``/``%{`` (with an optional ``~``) at pos: emit it and scan its code."""
        text = self.text
        if end < len(text) and text[end] == "~":
            end += 1
        self.emit(INTERP if text[self.pos] == "$" else CONTROL, end)
        self.main(until_brace=0)
        return True

    def _template_escape(self) -> int:
        """End of the literal token at a ``$``/``%`` that does not open a sequence."""
        text, p = self.text, self.pos
        c = text[p]
        if text.startswith(c + "{", p + 1):
            end = p + 3
            if end < len(text) and text[end] == "~":
                end += 1
            return end
        return p + 1

    def quoted(self) -> None:
        text, n = self.text, len(self.text)
        while self.pos < n:
            c = text[self.pos]
            if c == '"':
                self.emit(CQUOTE, self.pos + 1)
                return
            if c in "$%":
                if text.startswith("{", self.pos + 1):
                    self._template_seq(self.pos + 2)
                else:
                    self.emit(QUOTEDLIT, self._template_escape())
                continue
            if c in "\r\n":
                self.emit(QUOTEDNEWLINE, _NEWLINES.match(text, self.pos).end())  # type: ignore[union-attr]
                continue
            m = _QUOTED_RUN.match(text, self.pos)
            if m:
                self.emit(QUOTEDLIT, m.end())
            else:  # a backslash before a newline or the end
                self.emit(INVALID, self.pos + 1)

    def heredoc(self, marker: str) -> None:
        text, n = self.text, len(self.text)
        start_of_line = True
        while self.pos < n:
            c = text[self.pos]
            if c in "$%":
                if text.startswith("{", self.pos + 1):
                    self._template_seq(self.pos + 2)
                    start_of_line = False
                    continue
                self.emit(STRINGLIT, self._template_escape())
                start_of_line = False
                continue
            m = _HEREDOC_RUN.match(text, self.pos)
            end = m.end() if m else self.pos
            if end < n and text[end] in "\r\n":
                eol = end + 2 if text.startswith("\r\n", end) else end + 1
                if text[end] == "\r" and eol == end + 1:
                    # A lone CR matches no heredoc pattern: the scanner stops there and
                    # the rest of the file is one invalid token.
                    if end > self.pos:
                        self.emit(STRINGLIT, end)
                    self.emit(INVALID, n)
                    return
                if start_of_line and text[self.pos:end].strip() == marker:
                    self.emit(CHEREDOC, end)
                    self.emit(NEWLINE, eol)
                    return
                self.emit(STRINGLIT, eol)
                start_of_line = True
                continue
            self.emit(STRINGLIT, end)
            start_of_line = False


def tokenize(text: str) -> list[Token]:
    """Every token of ``text`` (comments and newlines included), ending with EOF."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return _Lexer(text).run()
