"""Validate merged values against the project's values schema.

The schema is ``schemas/values.schema.json`` unless ``mwgen.yaml`` names another
(``schema: false`` opts out explicitly; a missing schema is an error, so a renamed
file cannot silently switch validation off). ``$ref`` resolves only to files beside
the schema (:mod:`mwgen.schema.refs`), and schema regular expressions run under a
time limit (:mod:`mwgen.schema.patterns`).

jsonschema errors become :class:`Problem`s located by provenance: the file, line and
column of the key that set the offending value. ``additionalProperties`` failures
are split per unexpected key with a "did you mean" taken from the allowed keys;
``oneOf``/``anyOf`` noise is reduced to the best-matching branch.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from mwgen import resultcache
from mwgen.errors import InputError, Problem, format_path, merge_problems
from mwgen.lint.schemaerrors import best as _best  # the one best-match for oneOf/anyOf
from mwgen.values import MergedValues

if TYPE_CHECKING:
    from mwgen.project import Project, Target


class NoSchema(InputError):
    """The configured values schema does not exist (and the project did not opt out)."""


@dataclass(frozen=True)
class CompiledSchema:
    """A compiled values validator and the schema file it came from, as users see it."""

    validator: Draft202012Validator
    display: str


@lru_cache(maxsize=8)
def _validator(path: Path, display: str, mtime_ns: int) -> CompiledSchema:
    from mwgen.schema.patterns import BoundedValidator
    from mwgen.schema.refs import LocalRefs

    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
        schema = json.loads(text)
    except UnicodeDecodeError:
        raise InputError(file=display, message="not valid UTF-8") from None
    except json.JSONDecodeError as err:
        raise InputError(file=display, line=err.lineno, column=err.colno,
                         message=f"invalid JSON: {err.msg}") from None
    _check_schema_once(schema, hashlib.sha256(raw).hexdigest(), display)
    refs = LocalRefs(path, schema, display)
    refs.check_all(schema, text)
    if isinstance(schema, dict) and "$id" not in schema:
        schema = {**schema, "$id": refs.base}  # relative $refs resolve beside the file
    validator = BoundedValidator(schema, registry=refs.registry(), format_checker=FormatChecker())
    return CompiledSchema(validator, display)


def _check_schema_once(schema: Any, digest: str, display: str) -> None:
    """Check the schema against the metaschema, remembering success per content hash.

    The metaschema check costs more than validating every target (about 0.1 s), and
    the pre-commit hook runs on every commit: a schema that passed once, byte for
    byte, need not be checked again. Failures are never cached.
    """
    from mwgen.cache import known_good, remember_good

    if known_good("schema-ok", digest):
        return
    try:
        Draft202012Validator.check_schema(schema)
    except Exception as err:  # SchemaError: the schema itself is broken
        raise InputError(file=display, message=f"not a valid JSON Schema: "
                                               f"{getattr(err, 'message', err)}") from None
    remember_good("schema-ok", digest)


def validator_for(project: Project) -> CompiledSchema | None:
    """The compiled values validator of a project; None when it opted out of a schema.

    Raises :class:`NoSchema` when the configured schema file does not exist.
    """
    path = project.config.schema_file
    if path is None:
        return None
    display = project.rel(path)
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise NoSchema(file=display, message="values schema not found: create it, or set "
                                             "`schema: false` in mwgen.yaml to validate "
                                             "nothing but YAML and secrets") from None
    return _validator(path, display, mtime)


def validate_targets(project: Project, targets: Iterable[Target]) -> list[Problem]:
    """Problems of all ``targets``; one problem shared by several targets is one line."""
    from mwgen.schema import passed
    from mwgen.schema.patterns import shared_subtrees
    from mwgen.secrets import find_literal_secrets

    compiled = validator_for(project)
    key_of = _passed_keys(project, compiled)
    problems: list[Problem] = []
    with shared_subtrees():  # targets share most subtrees: each is checked once
        for target in targets:
            merged = project.values(target)
            key = key_of(merged.data)
            if passed.known(key):
                continue
            found = list(check(compiled, merged, target.name)) if compiled is not None else []
            found.extend(find_literal_secrets(merged, target.name))
            if not found:
                passed.remember(key)
            problems.extend(found)
    resultcache.flush()  # a -j worker ends without the exit hook that would write it
    return merge_problems(problems)


def not_known_valid(project: Project, targets: Iterable[Target]) -> list[Target]:
    """The ``targets`` whose merged values have not passed validation before (see
    :mod:`mwgen.schema.passed`): what a parallel validation hands to workers."""
    from mwgen.schema import passed

    key_of = _passed_keys(project, validator_for(project))
    return [t for t in targets if not passed.known(key_of(project.values(t).data))]


def _passed_keys(project: Project, compiled: CompiledSchema | None
                 ) -> Callable[[Any], bytes | None]:
    """The key under which merged values are remembered as passing, for this run's
    schema folder (read once)."""
    from mwgen.schema import passed

    schema = passed.schema_digest(project.config.schema_file)
    return lambda data: passed.key_of_data(compiled, schema, data)


def check(schema: CompiledSchema, merged: MergedValues, target: str) -> Iterator[Problem]:
    """Problems of one merged-values document."""
    from referencing.exceptions import Unresolvable

    try:
        errors = list(schema.validator.iter_errors(merged.data))
    except Unresolvable as err:
        # The metaschema check cannot see a $ref that points nowhere; validation can.
        inner = getattr(err, "_wrapped", err)
        ref = str(getattr(inner, "ref", None) or type(inner).__name__)
        ref = "#" + ref if ref.startswith("/") else ref  # a JSON pointer, as written
        raise InputError(file=schema.display,
                         message=f"$ref {ref!r} cannot be resolved") from None
    for error in errors:
        yield from _problems(_best(error), merged, target)


def _problems(error: ValidationError, merged: MergedValues, target: str) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    if "propertyNames" in error.absolute_schema_path and isinstance(error.instance, str):
        # jsonschema locates a bad key at its mapping; users need the key's own line.
        path += (error.instance,)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        from mwgen.schema.patterns import additional_keys

        schema = error.schema if isinstance(error.schema, dict) else {}
        allowed = list(schema.get("properties", {}))
        for key in additional_keys(error.instance, schema):
            message = f"unknown key '{key}'"
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            if close:
                message += f" (did you mean '{close[0]}'?)"
            yield _at(merged, path + (key,), message, target)
        return
    yield _at(merged, path, _message(error), target)


def _message(error: ValidationError) -> str:
    # jsonschema starts many messages with the whole instance (a mapping of hundreds of
    # services, say); keep the line short.
    text = error.message
    full = repr(error.instance)
    if text.startswith(full):
        text = _short(error.instance) + text[len(full):]
    if error.validator == "pattern" and isinstance(error.schema, dict):
        hint = error.schema.get("description")
        if hint:
            text += f" ({hint.rstrip('.')})"
    return text


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _at(merged: MergedValues, path: tuple[Any, ...], message: str, target: str) -> Problem:
    origin = merged.origin(path)
    return Problem(file=origin.file, line=origin.line, column=origin.column,
                   path=format_path(path) or "(root)", message=message, targets=(target,))

