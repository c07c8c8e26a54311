"""Schema regular expressions with a time limit (mwgen.schema.patterns): the same
verdicts as jsonschema's own keywords, and a runaway pattern becomes a finding."""

from __future__ import annotations

import pytest

from mwgen import resultcache
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


def forget_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a new process: no answer in memory, and the regex engine unusable."""
    monkeypatch.setattr(patterns, "_FOUND", {})

    def no_engine(pattern: str) -> object:
        raise AssertionError(f"compiled {pattern!r}")

    monkeypatch.setattr(patterns, "_compiled", no_engine)


def test_answers_are_remembered_across_processes(cold_cache, monkeypatch: pytest.MonkeyPatch
                                                 ) -> None:
    """A pre-commit ``mwgen validate`` on unchanged values compiles no pattern."""
    assert search("^[a-z]+$", "web") and not search("^[a-z]+$", "Web")
    resultcache.flush()
    forget_in_process(monkeypatch)
    assert search("^[a-z]+$", "web") and not search("^[a-z]+$", "Web")
    with pytest.raises(AssertionError, match="compiled"):
        search("^[a-z]+$", "other")  # never asked: the engine runs


def test_a_long_text_or_a_timeout_is_never_remembered(cold_cache,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    long = "a" * (patterns._REMEMBER_MAX + 1)
    assert search("a", long)
    monkeypatch.setattr(patterns, "MATCH_SECONDS", 0.05)
    with pytest.raises(PatternTimeout):
        search("^(a|aa)+$", "a" * 60 + "!")
    resultcache.flush()
    forget_in_process(monkeypatch)
    for pattern, text in (("a", long), ("^(a|aa)+$", "a" * 60 + "!")):
        with pytest.raises(AssertionError, match="compiled"):
            search(pattern, text)


def test_another_regex_engine_misses(cold_cache, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "_regex" in patterns._engine()  # the engine's files, by name
    assert search("^x", "xy")
    resultcache.flush()
    forget_in_process(monkeypatch)
    monkeypatch.setattr(patterns, "_engine", lambda: "regex upgraded")
    with pytest.raises(AssertionError, match="compiled"):
        search("^x", "xy")
