"""The Terraform expressions lint's relation rules evaluate (mwgen.lint.relations.terraform):
literals, references, index keys and interpolations; anything else is UNKNOWN."""

from __future__ import annotations

from typing import Any

from mwgen.lint.relations.terraform import UNKNOWN, expression, template

SCOPE: dict[str, Any] = {"var": {"m": {"k": 1, "]": 3, "a\\": 2}, "n": "z", "l": ["p", "q"]}}


def test_references_and_index_keys() -> None:
    assert expression('var.m["k"]', SCOPE) == 1
    assert expression("var.l[1]", SCOPE) == "q"
    assert expression("var.l[5]", SCOPE) is UNKNOWN
    assert expression("var.missing", SCOPE) is UNKNOWN


def test_an_index_key_may_hold_brackets_and_escapes() -> None:
    """One matcher closes brackets and interpolations; a key ending in an escaped
    backslash (``"a\\\\"``) no longer hides its closing quote."""
    assert expression('var.m["]"]', SCOPE) == 3
    assert expression('var.m["a\\\\"]', SCOPE) == 2


def test_interpolations_are_filled_in_or_unknown() -> None:
    assert template('x-${var.m["k"]}-${var.n}', SCOPE) == "x-1-z"
    assert template("${var.l}", SCOPE) is UNKNOWN  # a list in a string: not a string
    assert template("${var.n", SCOPE) is UNKNOWN  # never closed
