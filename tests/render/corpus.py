"""Hostile strings: each must render as itself into YAML, HCL and JSON.

Grouped by what they attack. Written for this test suite (no outside tables).
"""

from __future__ import annotations

#: Plain scalars that some YAML reader (PyYAML 1.1, YAML 1.2, go-yaml v2) resolves as
#: a bool, null, number, timestamp or merge key.
AMBIGUOUS = [
    "y", "Y", "n", "N", "yes", "No", "on", "OFF", "true", "False", "null", "Null", "~", "",
    "0o17", "0O17", "08", "09", "0x1F", "0b101", "-0b11", "1e3", "1E3", "1.0e5", "1e-3",
    ".5e3", ".5", "+1", "-1", "1_000", "1__", "1:20", "12:30:45", "2024-01-15", "2024-1-5",
    "2001-12-14t21:59:43.10-05:00", ".inf", "-.Inf", ".NaN", "<<", "=", "1.", "-0", "0",
    "+.5", "1e400", "123456789012345678901234567890", "0x_1F", "1.5e+3", "6.8523015e+5",
]

#: Control characters, line breaks YAML knows and JSON does not, odd Unicode.
CHARACTERS = [
    "\x00", "a\x00b", "\x01\x02\x1f", "\x7f", "\x85", "tab\there", "\t", "bell\x07",
    "\x1b[31mred\x1b[0m", "\u2028", "a\u2029b", "\ufeffbom", "\ufffe", "🚀 launch",
    "👩‍💻", "é", "\u202eevil", "a\u200bb", "\ud7ff", "日本語テキスト",
]

#: Line structure: the newline at the end (kept), CRLF, blank lines, leading spaces.
LINES = [
    "line\n", "\n", "a\nb", "a\r\nb", "\r", "crlf\r\n", " leading space", "trailing space ",
    "two\n\n", "a\n\n\nb", "  indented\nlines", "x\ninjected: true", "a\n---\nb: c",
    "last line \n", "\ttab first\nx",
]

#: YAML indicators and structure characters.
INDICATORS = [
    "- item", "? q", ": colon", "a: b", "a #comment", "#comment", "&anchor", "*alias",
    "!tag", "!!str", "|", ">", "%YAML 1.2", "---", "...", "--- x", "[a, b]", "{a: b}",
    "@at", "`tick", "a,b", "key:", "a::b", "http://example.com:8080/x?y=1#z",
    "arn:aws:iam::123456789012:role/x", "10.0.0.0/16",
]

#: Other templating languages, HCL templates and heredocs, quotes and backslashes.
SYNTAX = [
    "{{ values }}", "{% raw %}", "{# c #}", "{{", "}}", "${var.x}",
    "%{ if true }x%{ endif }", "$${x}", "%%{x}", "$", "${", "%{", "<<EOF\nheredoc\nEOF",
    "<<-EOT", "back\\slash", "\\", "\\n", "mixed \"quotes\" and 'apostrophes'", "\\u0041",
    "'single'", '"double"', "R&D <team>", "&amp;", "<script>alert(1)</script>",
    "for", "in", "if", "endfor", "else", "endif",
]

#: Long lines: no folding may change them.
LONG = ["x" * 4000, "a b " * 1000, "word " * 800, "é" * 4000]

CORPUS: list[str] = list(dict.fromkeys(AMBIGUOUS + CHARACTERS + LINES + INDICATORS + SYNTAX
                                       + LONG))
