"""jsonschema errors, reduced to what a person can act on.

A failed ``oneOf``/``anyOf`` says only "is not valid under any of the given schemas";
the useful errors are those of the branch the document was closest to. The ranking
follows check-jsonschema's best-match idea: fewest errors wins, a const/enum miss on a
direct child (a panel's ``type: row``) means "wrong branch", deeper errors beat
shallower ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jsonschema.exceptions import ValidationError, relevance

MAX_MESSAGE = 240


@dataclass(frozen=True)
class SchemaFinding:
    """One leaf error: where in the instance, what is wrong, and whether the key is at fault."""

    path: tuple[Any, ...]
    message: str
    #: for "unexpected property": point at the key itself, not at the parent
    key: str | None = None


def closest_branch(error: ValidationError) -> list[ValidationError]:
    """The errors of the ``anyOf``/``oneOf`` branch ``error``'s instance came closest to.

    Fewest errors wins; a const/enum miss on a direct child (a discriminator such as a
    panel's ``type: row``) means "wrong branch"; deeper errors beat shallower ones.
    """
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context or ():
        index = sub.relative_schema_path[0] if sub.relative_schema_path else 0
        branches.setdefault(index, []).append(sub)
    depth = len(error.absolute_path)

    def rank(errs: list[ValidationError]) -> tuple[bool, int, int]:
        discriminator_miss = any(e.validator in ("const", "enum")
                                 and len(e.absolute_path) <= depth + 1 for e in errs)
        return (discriminator_miss, len(errs), -max(len(e.absolute_path) for e in errs))

    return min(branches.values(), key=rank)


def leaves(error: ValidationError) -> list[ValidationError]:
    """Expand an anyOf/oneOf failure into the errors of its closest branch (recursively)."""
    if not error.context:
        return [error]
    out: list[ValidationError] = []
    for sub in closest_branch(error):
        out.extend(leaves(sub))
    return out


def best(error: ValidationError) -> ValidationError:
    """The one error to report for ``error``: the most relevant leaf of its closest branch
    (jsonschema's relevance decides within the branch). Values validation reports this."""
    return max(leaves(error), key=relevance)


def findings(validator: Any, instance: Any, prefix: tuple[Any, ...] = ()) -> list[SchemaFinding]:
    """All leaf errors of ``instance``, sorted by path, each message on one line."""
    out = []
    for err in validator.iter_errors(instance):
        for leaf in leaves(err):
            path = prefix + tuple(leaf.absolute_path)
            out.append(SchemaFinding(path=path, message=_one_line(leaf.message),
                                     key=_unexpected_key(leaf)))
    return sorted(set(out), key=lambda f: ([str(p) for p in f.path], f.message))


def _unexpected_key(error: ValidationError) -> str | None:
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return None
    props = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    extras = [k for k in error.instance if k not in props]
    return str(extras[0]) if extras else None


def _one_line(message: str) -> str:
    msg = " ".join(message.split())
    return msg if len(msg) <= MAX_MESSAGE else msg[:MAX_MESSAGE - 3] + "..."
