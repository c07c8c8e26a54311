"""Schema regular expressions with a time limit (mwgen.schema.patterns): the same
verdicts as jsonschema's own keywords, and a runaway pattern becomes a finding."""

from __future__ import annotations

import pytest

from mwgen.schema import patterns
from mwgen.schema.patterns import BoundedValidator, PatternTimeout, additional_keys, search

SCHEMA = {
    "type": "object",
    "properties": {"name": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"}},
    "patternProperties": {"^x-": {"type": "integer"}},
    "additionalProperties": False,
}


def messages(instance: object, schema: dict = SCHEMA) -> list[str]:
    return sorted(e.message for e in BoundedValidator(schema).iter_errors(instance))


def test_valid_instances_pass() -> None:
    assert messages({"name": "web-1", "x-extra": 3}) == []


def test_pattern_pattern_properties_and_additional_properties_as_jsonschema_words_them() -> None:
    assert messages({"name": "Web"}) == ["'Web' does not match '^[a-z][a-z0-9-]*$'"]
    assert messages({"x-extra": "3"}) == ["'3' is not of type 'integer'"]
    assert messages({"other": 1, "more": 2}) == [
        "Additional properties are not allowed ('more', 'other' were unexpected)"]


def test_additional_keys_lists_what_neither_properties_nor_patterns_allow() -> None:
    assert additional_keys({"name": "a", "x-y": 1, "z": 2}, SCHEMA) == ["z"]


def test_search_is_unanchored_like_ecma_262() -> None:
    assert search("b", "abc") and not search("^b", "abc")


def test_a_runaway_pattern_is_a_finding_not_a_hang(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patterns, "MATCH_SECONDS", 0.05)
    runaway = "^(a|aa)+$"
    with pytest.raises(PatternTimeout):
        search(runaway, "a" * 60 + "!")
    [message] = messages("a" * 60 + "!", {"type": "string", "pattern": runaway})
    assert message.startswith("pattern '^(a|aa)+$' did not finish within 0.05 s on this value")
