"""Validate merged values against ``schemas/values.schema.json``.

jsonschema errors become :class:`Problem`s located by provenance: the file, line and
column of the key that set the offending value. ``additionalProperties`` failures
are split per unexpected key with a "did you mean" taken from the allowed keys;
``oneOf``/``anyOf`` noise is reduced to the best-matching branch.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError, best_match

from mwgen.errors import InputError, Problem, format_path, merge_problems
from mwgen.values import MergedValues

if TYPE_CHECKING:
    from mwgen.project import Project, Target

SCHEMA_FILE = Path("schemas") / "values.schema.json"


@lru_cache(maxsize=8)
def _validator(path: Path, mtime_ns: int) -> Draft202012Validator:
    display = SCHEMA_FILE.as_posix()
    raw = path.read_bytes()
    try:
        schema = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(file=display, message="not valid UTF-8") from None
    except json.JSONDecodeError as err:
        raise InputError(file=display, line=err.lineno, column=err.colno,
                         message=f"invalid JSON: {err.msg}") from None
    _check_schema_once(schema, hashlib.sha256(raw).hexdigest(), display)
    return Draft202012Validator(schema, format_checker=FormatChecker())


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


def validator_for(root: Path) -> Draft202012Validator | None:
    """The compiled values validator of a project; None when it has no schema."""
    from mwgen.config import load_config

    path = load_config(root).schema_file  # mwgen.yaml `schema:`; None when opted out
    if path is None:
        return None
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        return None
    return _validator(path, mtime)


def validate_targets(project: Project, targets: Iterable[Target]) -> list[Problem]:
    """Problems of all ``targets``; one problem shared by several targets is one line."""
    from mwgen.secrets import find_literal_secrets

    validator = validator_for(project.root)
    problems: list[Problem] = []
    for target in targets:
        merged = project.values(target)
        if validator is not None:
            problems.extend(check(validator, merged, target.name))
        problems.extend(find_literal_secrets(merged, target.name))
    return merge_problems(problems)


def check(validator: Draft202012Validator, merged: MergedValues, target: str) -> Iterator[Problem]:
    """Problems of one merged-values document."""
    from referencing.exceptions import Unresolvable

    try:
        errors = list(validator.iter_errors(merged.data))
    except Unresolvable as err:
        # The metaschema check cannot see a $ref that points nowhere; validation can.
        inner = getattr(err, "_wrapped", err)
        ref = str(getattr(inner, "ref", None) or type(inner).__name__)
        ref = "#" + ref if ref.startswith("/") else ref  # a JSON pointer, as written
        raise InputError(file=SCHEMA_FILE.as_posix(),
                         message=f"$ref {ref!r} cannot be resolved") from None
    for error in errors:
        yield from _problems(_best(error), merged, target)


def _best(error: ValidationError) -> ValidationError:
    """Descend oneOf/anyOf to the branch that came closest."""
    while error.validator in ("oneOf", "anyOf") and error.context:
        error = best_match(error.context)
    return error


def _problems(error: ValidationError, merged: MergedValues, target: str) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    if "propertyNames" in error.absolute_schema_path and isinstance(error.instance, str):
        # jsonschema locates a bad key at its mapping; users need the key's own line.
        path += (error.instance,)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list((error.schema or {}).get("properties", {}) if isinstance(error.schema, dict) else {})
        patterns = (error.schema or {}).get("patternProperties", {}) if isinstance(error.schema, dict) else {}
        for key in error.instance:
            if key in allowed or any(re.search(p, key) for p in patterns):
                continue
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
