"""The calls the rest of mwgen makes: the parse check, the render's formatter, python-hcl2.

:func:`format_hcl` is what the render writes: :func:`~mwgen.hcl.format.terraform_fmt`
of the text with CRLF read as LF, leading and trailing blank lines dropped and one
final newline, which is still a fixed point of ``terraform fmt``. :func:`loads` is
the one place python-hcl2 is called (for ``mwgen diff``, which needs values, not
tokens); the parse check never uses it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from mwgen.hcl.format import format_tokens, rewrite
from mwgen.hcl.parser import Body, HCLParseError, parse

__all__ = ["HCLParseError", "check_hcl", "format_checked", "format_hcl", "format_in_parts",
           "loads"]

_COMMENT_KEYS = ("__comments__", "__inline_comments__")


def check_hcl(text: str, display: str = "") -> Body:
    """The parsed body of ``text``; :class:`HCLParseError` where Terraform refuses it.

    ``display`` only prefixes the message (``display:line:col: ...``).
    """
    try:
        return parse(text)[0]
    except HCLParseError as err:
        if display:
            raise HCLParseError(message=err.message, line=err.line, column=err.column,
                                file=display) from None
        raise


def format_checked(text: str) -> tuple[str, Body]:
    """``format_hcl(text)`` and the parsed body, refusing a label terraform fmt would drop.

    terraform fmt unwraps one ``"${...}"`` per run, so ``"${"${x}"}"`` needs two runs to
    settle; the rewrites are repeated until nothing changes, so the result is a fixed
    point and a ``terraform fmt`` pre-commit hook never touches it.
    """
    text, first = _settled(text.replace("\r\n", "\n"))
    return _edges(text), first


def _settled(text: str) -> tuple[str, Body]:
    """terraform fmt's rewrites repeated to a fixed point, and the first parse."""
    body, tokens = parse(text)
    first = body
    for _ in range(16):
        tokens, changed = rewrite(body, tokens, strict=True)
        text = format_tokens(tokens)
        if not changed:
            break
        body, tokens = parse(text)
    return text, first


def _edges(text: str) -> str:
    # File edges: no blank lines before or after, no blanks at the very end (terraform
    # keeps trailing blanks, which would be an unclean last line once "\n" is added).
    out = text.lstrip("\n").rstrip(" \t\r\n")
    return out + "\n" if out else ""


#: Parts of at least this many characters, each ending with a top-level block.
PART_SIZE = 64 * 1024
#: A line that is only a closing brace at column 0: where a top-level block may end.
_TOP_LEVEL_END = re.compile(r"^\}[ \t]*\n", re.MULTILINE)


def format_in_parts(text: str, check: Callable[[Body], None] = lambda body: None) -> str | None:
    """What :func:`format_checked` gives, formatted and parsed one run of top-level blocks
    at a time, so a large file never has all its tokens and syntax tree in memory at
    once (they take about 37 bytes per input byte). ``check`` is called with each part's
    syntax tree. Returns the formatted text, or None when a part does not parse on its
    own (a guessed block end inside a heredoc or comment) or ``check`` raises
    :class:`HCLParseError`: the caller then formats the whole file, which also locates
    any error. Only top-level blocks are split: terraform fmt
    aligns and rewrites within a body, never across top-level blocks.
    """
    text = text.replace("\r\n", "\n")
    out: list[str] = []
    start = 0
    ends = [m.end() for m in _TOP_LEVEL_END.finditer(text)]
    for i, end in enumerate(ends):
        if end - start < PART_SIZE and i + 1 < len(ends):
            continue
        if i + 1 == len(ends):
            end = len(text)  # whatever follows the last block belongs to the last part
        try:
            formatted, body = _settled(text[start:end])
            check(body)
        except HCLParseError:
            return None
        out.append(formatted)
        start = end
    if start < len(text):
        return None  # no block end at all: not worth splitting
    return _edges("".join(out))


def format_hcl(text: str) -> str:
    """``text`` as ``terraform fmt`` writes it, without outer blank lines, ending in
    exactly one newline (empty input gives empty output)."""
    return format_checked(text)[0]


def loads(text: str) -> dict[str, Any]:
    """python-hcl2's data for ``text``, the same under python-hcl2 7 and 8.

    8.x reports comments as ``__comments__``/``__inline_comments__`` keys; they are
    not configuration, so they are switched off where the option exists and removed
    in any case. Raises python-hcl2's own exceptions (lark's) on bad input.
    """
    import hcl2

    options_type = getattr(getattr(hcl2, "utils", None), "SerializationOptions", None)
    if options_type is not None:
        data = hcl2.loads(text, serialization_options=options_type(with_comments=False))
    else:  # python-hcl2 7.x: no options, no comment keys
        data = hcl2.loads(text)
    return strip_comment_keys(data)


def strip_comment_keys(value: Any) -> Any:
    """``value`` without python-hcl2 8's comment entries, at any depth."""
    if isinstance(value, dict):
        return {k: strip_comment_keys(v) for k, v in value.items() if k not in _COMMENT_KEYS}
    if isinstance(value, list):
        return [strip_comment_keys(v) for v in value]
    return value
