"""``terraform fmt`` in pure Python, and an HCL2 parse check.

mwgen writes thousands of ``.tf`` files and promises they are already ``terraform fmt``
clean, without needing the terraform binary. :func:`format_hcl` reproduces the rules of
hclwrite's formatter (what ``terraform fmt`` runs) line by line:

* indentation is two spaces per open bracket level, counted per line the way hclwrite
  counts it (a line that opens brackets indents what follows; a line that closes them
  is itself dedented; ``}, {`` stays at the inner level);
* ``=`` is surrounded by single spaces, and consecutive lines that each hold one
  whole single-line assignment have their ``=`` aligned; a line without such an
  assignment (blank, comment-only, a block header, ``tags = {``, a closing brace) ends
  the group;
* trailing comments on consecutive lines are aligned after the assignments;
* runs of whitespace between tokens become one space, trailing whitespace goes, a
  whitespace-only line becomes empty; blank lines are kept as terraform keeps them,
  except that leading and trailing blank lines of the file are dropped and the file
  ends with exactly one newline (terraform leaves those alone, so the result is still
  a fixed point of ``terraform fmt``).

Nothing inside a quoted string, a comment or a heredoc is touched, so formatting never
changes meaning (trailing blanks after a comment go; terraform keeps those, and the
result is still terraform-clean). What hclwrite also does and this module does not: remove spaces
inside brackets (``[ "a" ]``), and terraform's own rewrites (``"${var.x}"`` to
``var.x``, quoted type names). Templates must not produce those; the tests compare
this module with the real ``terraform fmt`` on every rendered file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["format_hcl", "check_hcl", "HCLParseError"]

_OPEN = "{[("
_CLOSE = "}])"
_BRACKETS = _OPEN + _CLOSE
_HEREDOC = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_-]*)$")
# Lines with nothing that needs the character scanner: no strings, comments,
# heredocs or operators that contain "=". They are the majority in practice.
_SPECIAL = re.compile(r"[\"#/<=!>%$]")


class HCLParseError(ValueError):
    """python-hcl2 could not parse a file; ``line``/``column`` are 1-based, 0 if unknown."""

    def __init__(self, message: str, *, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


@dataclass(slots=True)
class _Line:
    """One logical line: what hclwrite calls its lead, assign and comment cells.

    ``verbatim`` lines (heredoc bodies, block-comment bodies, blank lines) are kept as
    they are; heredoc bodies are appended to the line that opened them as ``tail``
    so that they do not break an alignment group, as in hclwrite where the whole
    heredoc is one token of its line.
    """

    lead: str
    assign: str | None = None
    comment: str | None = None
    net: int = 0
    blank: bool = False
    verbatim: bool = False
    tail: str = ""
    indent: int = 0


class _Scanner:
    """Splits physical lines into cells, carrying string/bracket state across lines."""

    def __init__(self) -> None:
        # Contexts: "{", "[", "(" code brackets; '"' quoted string; "$" an
        # interpolation or directive inside a string (code until its "}").
        self.stack: list[str] = []
        self.heredoc: str | None = None
        self.block_comment = False

    def in_string(self) -> bool:
        return bool(self.stack) and self.stack[-1] == '"'

    def scan(self, raw: str) -> tuple[_Line, str | None]:
        """The cells of one line, and the heredoc marker it opens (if any)."""
        if not self.stack and not _SPECIAL.search(raw):
            return self._scan_plain(raw), None
        out: list[str] = []
        eq_at = -1  # index in out of the first bare "=" (hclwrite: first TokenEqual)
        comment_at = -1
        net = 0
        tokens_before = 0  # tokens seen in code context (to apply hclwrite's i > 0)
        marker: str | None = None
        i, n = 0, len(raw)
        while i < n:
            c = raw[i]
            if self.in_string():
                if c == "\\" and i + 1 < n:
                    out.append(raw[i:i + 2])
                    i += 2
                    continue
                if c in "$%" and raw.startswith(("$${", "%%{"), i):
                    out.append(raw[i:i + 3])
                    i += 3
                    continue
                if c in "$%" and i + 1 < n and raw[i + 1] == "{":
                    self.stack.append("$")
                    net += 1
                    out.append(raw[i:i + 2])
                    i += 2
                    continue
                if c == '"':
                    self.stack.pop()
                out.append(c)
                i += 1
                continue
            # code context
            if c in " \t":
                j = i
                while j < n and raw[j] in " \t":
                    j += 1
                if out and out[-1] != " ":
                    out.append(" ")
                i = j
                continue
            if c == "#" or raw.startswith("//", i):
                comment_at = len(out)
                out.append(raw[i:].rstrip())
                break
            if raw.startswith("/*", i):
                end = raw.find("*/", i + 2)
                if end < 0:
                    self.block_comment = True
                    comment_at = len(out)
                    out.append(raw[i:].rstrip())
                    break
                if raw[end + 2:].strip():  # inline block comment: keep as a token
                    out.append(raw[i:end + 2])
                    i = end + 2
                    tokens_before += 1
                    continue
                comment_at = len(out)
                out.append(raw[i:end + 2])
                break
            if c == "<" and raw.startswith("<<", i):
                m = _HEREDOC.match(raw[i:].rstrip())
                if m:
                    marker = m.group(2)
                    out.append(m.group(0))
                    tokens_before += 1
                    break
            if c == "=":
                prev = raw[i - 1] if i else ""
                nxt = raw[i + 1] if i + 1 < n else ""
                if nxt in "=>" or prev in "=!<>":
                    out.append(c)  # part of ==, =>, !=, <=, >=
                else:
                    if out and out[-1] != " ":
                        out.append(" ")
                    if eq_at < 0 and tokens_before > 0:
                        eq_at = len(out)
                    out.append("=")
                    if i + 1 < n and raw[i + 1] not in " \t":
                        out.append(" ")
                i += 1
                tokens_before += 1
                continue
            if c == '"':
                self.stack.append('"')
            elif c in _BRACKETS:
                net += self._bracket(c)
            out.append(c)
            tokens_before += 1
            i += 1
        return self._cells(out, eq_at, comment_at, net), marker

    def _scan_plain(self, raw: str) -> _Line:
        """Fast path for a line with no strings, comments or ``=``: only brackets."""
        text = " ".join(raw.split())
        net = sum(self._bracket(c) for c in text if c in _BRACKETS)
        return _Line(lead=text, net=net, blank=not text)

    def _bracket(self, c: str) -> int:
        """Track one bracket on the nesting stack; +1 opening, -1 closing."""
        if c in _OPEN:
            self.stack.append(c)
            return 1
        if self.stack:
            self.stack.pop()
        return -1

    @staticmethod
    def _cells(out: list[str], eq_at: int, comment_at: int, net: int) -> _Line:
        comment = None
        if comment_at >= 0:
            comment = "".join(out[comment_at:])
            out = out[:comment_at]
        code = "".join(out).strip()
        if comment is not None and not code:
            return _Line(lead=comment, net=0)  # comment-only line: no comment cell
        if eq_at < 0:
            return _Line(lead=code, comment=comment, net=net)
        lead = "".join(out[:eq_at]).strip()
        rhs = "".join(out[eq_at:]).rstrip()
        if _bracket_change(rhs) != 0:  # a multi-line value: not an assignment cell
            return _Line(lead=code, comment=comment, net=net)
        return _Line(lead=lead, assign=rhs, comment=comment, net=net)


def _bracket_change(code: str) -> int:
    """Net brackets of ``code`` outside strings (strings here hold no newlines)."""
    net = 0
    stack: list[str] = []
    i, n = 0, len(code)
    while i < n:
        c = code[i]
        if stack and stack[-1] == '"':
            if c == "\\":
                i += 2
                continue
            if code.startswith(("$${", "%%{"), i):
                i += 3
                continue
            if c in "$%" and code.startswith("{", i + 1):
                stack.append("$")
                net += 1
                i += 2
                continue
            if c == '"':
                stack.pop()
            i += 1
            continue
        if c == '"':
            stack.append('"')
        elif c in _OPEN:
            stack.append(c)
            net += 1
        elif c in _CLOSE:
            if stack:
                stack.pop()
            net -= 1
        i += 1
    return net


def _logical_lines(text: str) -> list[_Line]:
    scanner = _Scanner()
    lines: list[_Line] = []
    heredoc: tuple[str, _Line] | None = None
    for raw in text.split("\n"):
        if heredoc is not None:
            end_marker, owner = heredoc
            owner.tail += "\n" + raw
            if raw.strip() == end_marker:
                heredoc = None
            continue
        if scanner.block_comment:
            lines.append(_Line(lead=raw, verbatim=True))
            if "*/" in raw:
                scanner.block_comment = False
            continue
        if not raw.strip() and not scanner.in_string():
            lines.append(_Line(lead="", blank=True))
            continue
        line, marker = scanner.scan(raw)
        lines.append(line)
        if marker is not None:
            heredoc = (marker, line)
    return lines


def _indent(lines: list[_Line]) -> None:
    """hclwrite's indent stack: one level per line that opens brackets."""
    stack: list[int] = []
    for line in lines:
        if line.blank:
            continue
        if line.net > 0:
            line.indent = 2 * len(stack)
            stack.append(line.net)
        elif line.net < 0:
            closed = -line.net
            while closed > 0 and stack:
                if closed > stack[-1]:
                    closed -= stack.pop()
                elif closed < stack[-1]:
                    stack[-1] -= closed
                    closed = 0
                else:
                    stack.pop()
                    closed = 0
            line.indent = 2 * len(stack)
        else:
            line.indent = 2 * len(stack)


def _align(lines: list[_Line]) -> list[str]:
    """Pad assignments, then trailing comments, across consecutive lines."""
    widths = [line.indent + len(line.lead) for line in lines]
    pad = [0] * len(lines)
    start = -1
    for i in range(len(lines) + 1):
        if i < len(lines) and lines[i].assign is not None:
            if start < 0:
                start = i
            continue
        if start >= 0:
            top = max(widths[start:i])
            for k in range(start, i):
                pad[k] = top - widths[k] + 1
            start = -1
    full: list[str] = []
    for k, line in enumerate(lines):
        text = " " * line.indent + line.lead if line.lead else ""
        if line.assign is not None:
            text += " " * pad[k] + line.assign
        full.append(text)
    start = -1
    for i in range(len(lines) + 1):
        if i < len(lines) and lines[i].comment is not None:
            if start < 0:
                start = i
            continue
        if start >= 0:
            top = max(len(full[k]) for k in range(start, i))
            for k in range(start, i):
                full[k] += " " * (top - len(full[k]) + 1) + str(lines[k].comment)
            start = -1
    return full


def format_hcl(text: str) -> str:
    """``text`` as ``terraform fmt`` writes it, ending in exactly one newline.

    Only whitespace outside strings, comments and heredocs changes, so the meaning
    of the configuration is never altered. Empty input gives empty output.
    """
    text = text.replace("\r\n", "\n")
    lines = _logical_lines(text)
    _indent(lines)
    out = _align(lines)
    for k, line in enumerate(lines):
        if line.verbatim:
            out[k] = line.lead
        elif line.tail:
            out[k] += line.tail
    body = "\n".join(out).strip("\n")
    return body + "\n" if body else ""


def check_hcl(text: str, display: str) -> None:
    """Raise :class:`HCLParseError` (a ``ValueError``: ``"display:line:col: ..."``) if
    python-hcl2 cannot parse ``text``.

    The engine calls this before :func:`format_hcl` so a template that produces broken
    HCL fails the render at the line that is wrong, instead of being committed.
    """
    import hcl2
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        hcl2.loads(text)
    except UnexpectedInput as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        first = re.sub(r" at line \d+, column \d+\.?$", "", first)
        raise HCLParseError(f"{display}:{exc.line}:{exc.column}: HCL parse error: {first}",
                            line=exc.line, column=exc.column) from exc
    except (LarkError, ValueError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        line = _line_of(str(exc))
        where = f"{display}:{line}" if line else display
        raise HCLParseError(f"{where}: HCL parse error: {first}", line=line) from exc


def _line_of(message: str) -> int:
    m = re.search(r"line (\d+)", message)
    return int(m.group(1)) if m else 0
