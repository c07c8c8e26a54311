"""Schema regular expressions with a time limit.

A ``pattern`` such as ``^(a+)+$`` backtracks catastrophically on ``aaaa…!`` and
Python's ``re`` cannot be interrupted, so one crafted schema (or one long value) hung
``mwgen validate`` forever. The ``pattern``, ``patternProperties`` and
``additionalProperties`` keywords here match with the ``regex`` engine, which takes a
timeout: a match that runs longer than :data:`MATCH_SECONDS` becomes a located
validation error naming the pattern, not a hang.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from jsonschema import Draft202012Validator, ValidationError, validators

from mwgen import resultcache

if TYPE_CHECKING:
    import regex

#: Seconds one schema regular expression may take on one string (``MWGEN_REGEX_SECONDS``).
MATCH_SECONDS = float(os.environ.get("MWGEN_REGEX_SECONDS", "1.0"))


class PatternTimeout(Exception):
    """A schema pattern ran past the time limit on one string."""

    def __init__(self, pattern: str) -> None:
        super().__init__(pattern)
        self.pattern = pattern


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> regex.Pattern[str]:
    import regex

    return regex.compile(pattern)


#: Answers of :func:`search` (a timed ``regex`` search costs about a millisecond, and
#: values repeat across targets); timeouts are never remembered.
_FOUND: dict[tuple[str, str], bool] = {}
_FOUND_MAX = 200_000
#: Texts up to this long have their answers remembered, here and in the user cache.
_REMEMBER_MAX = 1024


def search(pattern: str, text: str) -> bool:
    """Whether ``pattern`` matches somewhere in ``text``; raises :class:`PatternTimeout`.

    Answers are remembered in the user cache (:mod:`mwgen.resultcache`, keyed by
    the ``regex`` engine's files): compiling a schema's patterns with ``regex`` (a
    Python parser) was a fifth of ``mwgen validate``, which a pre-commit hook runs on
    values that rarely change. A hit needs neither ``regex`` nor the compile."""
    key = (pattern, text)
    found = _FOUND.get(key)
    if found is not None:
        return found
    stored = None
    if len(text) <= _REMEMBER_MAX:
        stored = resultcache.key_of(f"schema pattern {_engine()}\0{pattern}", text, _CODE)
        known = resultcache.store().get(stored)
        if known is not None:
            found = known == "1"
    if found is None:
        try:
            found = _compiled(pattern).search(text, timeout=MATCH_SECONDS) is not None
        except TimeoutError:
            raise PatternTimeout(pattern) from None
        if stored is not None:
            resultcache.store().put(stored, "1" if found else "0")
    if len(_FOUND) < _FOUND_MAX and stored is not None:
        _FOUND[key] = found
    return found


_CODE = ("schema/patterns.py",)


def _engine() -> str:
    """The installed ``regex`` engine (its files, not imported): another misses."""
    return resultcache.package_stamp("regex")


def _timeout_error(pattern: str) -> ValidationError:
    return ValidationError(f"pattern {pattern!r} did not finish within {MATCH_SECONDS:g} s on "
                           "this value: simplify the pattern (nested repetition backtracks)")


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "string"):
        return
    try:
        if not search(pattern, instance):
            yield ValidationError(f"{instance!r} does not match {pattern!r}")
    except PatternTimeout:
        yield _timeout_error(pattern)


def _pattern_properties(validator: Any, patterns: Any, instance: Any, schema: Any
                        ) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            try:
                hit = search(pattern, key)
            except PatternTimeout:
                yield _timeout_error(pattern)
                return
            if hit:
                yield from _descend(validator, value, subschema, key, pattern)


#: Subtrees found valid against a subschema during one validation run, by identity.
#: Targets share most of their merged values (a service that only the defaults set is
#: the same object in every target), so each shared subtree is validated once.
_VALID: dict[tuple[int, int, int], Any] | None = None


@contextmanager
def shared_subtrees() -> Iterator[None]:
    """Within this block, a subtree valid against a subschema is not checked again.

    Values must not change inside the block (merged values are read-only)."""
    global _VALID
    outer, _VALID = _VALID, {} if _VALID is None else _VALID
    try:
        yield
    finally:
        _VALID = outer


def _descend(validator: Any, value: Any, subschema: Any, path: str,
             schema_path: str | None = None) -> Iterator[ValidationError]:
    memo = _VALID
    if memo is None or not isinstance(value, (dict, list)):
        yield from validator.descend(value, subschema, path=path, schema_path=schema_path)
        return
    key = (id(validator.schema), id(subschema), id(value))
    if memo.get(key) is value:  # the memo holds the value, so its id is not reused
        return
    errors = list(validator.descend(value, subschema, path=path, schema_path=schema_path))
    if not errors:
        memo[key] = value
    yield from errors


def additional_keys(instance: dict[str, Any], schema: Any) -> list[str]:
    """Keys of ``instance`` that neither ``properties`` nor ``patternProperties`` allow."""
    properties = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    return [key for key in instance
            if key not in properties and not any(search(p, key) for p in patterns)]


def _additional_properties(validator: Any, aP: Any, instance: Any, schema: Any
                           ) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    try:
        extras = additional_keys(instance, schema)
    except PatternTimeout as err:
        yield _timeout_error(err.pattern)
        return
    if validator.is_type(aP, "object"):
        for extra in extras:
            yield from _descend(validator, instance[extra], aP, extra)
    elif not aP and extras:
        listed = ", ".join(repr(each) for each in sorted(extras))
        verb = "was" if len(extras) == 1 else "were"
        yield ValidationError(f"Additional properties are not allowed ({listed} {verb} unexpected)")


#: Draft 2020-12 with the time-limited regular expression keywords.
BoundedValidator = validators.extend(Draft202012Validator, {
    "pattern": _pattern,
    "patternProperties": _pattern_properties,
    "additionalProperties": _additional_properties,
})
