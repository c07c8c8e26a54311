"""Which template line wrote a given line of rendered output (a best guess).

Jinja keeps no map from output lines to template lines, but a generated line almost
always carries literal text of the template line that wrote it
(``resource "aws_s3_bucket" "assets_{{ x }}" {`` writes ``resource "aws_s3_bucket"
"assets_"euc1"" {``). The template line whose literal pieces all occur, in order, in
the rendered line, with the most literal text, is the answer; none or a tie gives 0.
"""

from __future__ import annotations

import re

__all__ = ["template_line"]

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
_MIN_LITERAL = 3


def _matches(pieces: list[str], target: str, anchored: bool) -> bool:
    at = 0
    for i, piece in enumerate(pieces):
        found = target.find(piece, at)
        if found < 0 or (i == 0 and anchored and found != 0):
            return False
        at = found + len(piece)
    return True


def template_line(source: str, rendered: str, line: int) -> int:
    """The 1-based line of ``source`` that wrote line ``line`` of ``rendered``, or 0."""
    lines = rendered.split("\n")
    if not 0 < line <= len(lines):
        return 0
    target = lines[line - 1].strip()
    best, best_score, tie = 0, 0, False
    for number, text in enumerate(source.split("\n"), start=1):
        stripped = text.strip()
        pieces = [p.strip() for p in _TAG.split(stripped) if p.strip()]
        score = sum(len(p) for p in pieces)
        if score < _MIN_LITERAL or score < best_score:
            continue
        anchored = not _TAG.match(stripped)
        if not _matches(pieces, target, anchored):
            continue
        if score == best_score:
            tie = True
        else:
            best, best_score, tie = number, score, False
    return 0 if tie else best
