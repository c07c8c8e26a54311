"""One best-match for oneOf/anyOf failures (mwgen.lint.schemaerrors), shared by lint's
schema findings and values validation."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

from mwgen.lint.schemaerrors import best, closest_branch, findings, leaves

PANEL: dict[str, Any] = {"oneOf": [
    {"type": "object", "required": ["type", "gridPos"],
     "properties": {"type": {"const": "row"}, "gridPos": {"type": "object"}}},
    {"type": "object", "required": ["type", "targets"],
     "properties": {"type": {"const": "graph"}, "targets": {"type": "array"},
                    "title": {"type": "string"}}},
]}


def only_error(schema: dict[str, Any], instance: Any) -> Any:
    errors = list(Draft202012Validator(schema).iter_errors(instance))
    assert len(errors) == 1
    return errors[0]


def test_the_branch_whose_discriminator_matches_wins() -> None:
    err = only_error(PANEL, {"type": "graph", "targets": [], "title": 3})
    assert [e.message for e in closest_branch(err)] == ["3 is not of type 'string'"]
    assert best(err).message == "3 is not of type 'string'"
    assert list(best(err).absolute_path) == ["title"]


def test_fewest_errors_wins_when_no_discriminator_decides() -> None:
    schema = {"anyOf": [{"required": ["a", "b"]}, {"required": ["c"]}]}
    err = only_error(schema, {})
    assert [e.message for e in leaves(err)] == ["'c' is a required property"]
    assert best(err).message == "'c' is a required property"


def test_nested_choices_are_expanded_to_their_leaves() -> None:
    schema = {"type": "object", "properties": {"panels": {"type": "array", "items": PANEL}}}
    found = findings(Draft202012Validator(schema), {"panels": [{"type": "row", "gridPos": 1}]},
                     prefix=("dashboard",))
    assert [(f.path, f.message) for f in found] == [
        (("dashboard", "panels", 0, "gridPos"), "1 is not of type 'object'")]


def test_an_error_without_choices_is_its_own_best() -> None:
    err = only_error({"type": "integer"}, "x")
    assert best(err) is err and leaves(err) == [err]


def test_values_validation_uses_the_same_best_match() -> None:
    import mwgen.schema as schema

    assert schema._best is best
