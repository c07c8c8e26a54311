"""Issue 16: a merged value set that passed validation is remembered, by its exact
data, the schema folder, the checks' code and the installed engines; nothing else.

The pre-commit hook and every render validate values that rarely change: at 500
services validation was a serial ninth of a render. A hit skips the schema check and
the secret scan; any difference in what they read is a miss; a problem is never
remembered (it is found, located, on every run).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mwgen import resultcache
from mwgen.project import load_project
from mwgen.schema import passed
from tests.schema.conftest import edit_schema


def validate_counting(root: Path, monkeypatch: pytest.MonkeyPatch,
                      overrides: tuple[str, ...] = ()) -> tuple[list[str], int]:
    """Validate a freshly loaded project, after writing what earlier runs remembered:
    its problems, and how many targets were checked (not remembered)."""
    import mwgen.schema as schema

    resultcache.flush()
    checked: list[str] = []
    real = schema.check

    def counting(compiled: Any, merged: Any, target: str) -> Any:
        checked.append(target)
        return real(compiled, merged, target)

    monkeypatch.setattr(schema, "check", counting)
    problems = load_project(root, overrides=list(overrides)).validate()
    monkeypatch.setattr(schema, "check", real)
    return [p.format() for p in problems], len(checked)


def test_values_that_passed_are_not_checked_again(mini: Path, cold_cache: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    assert validate_counting(mini, monkeypatch) == ([], 3)
    assert validate_counting(mini, monkeypatch) == ([], 0)


def test_a_change_to_one_target_checks_that_target_alone(mini: Path, cold_cache: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    assert validate_counting(mini, monkeypatch) == ([], 3)
    region = mini / "values/targets/prod/r2.yaml"
    region.write_text(region.read_text() + "app:\n  note: changed\n")
    assert validate_counting(mini, monkeypatch) == ([], 1)


def test_problems_are_never_remembered(mini: Path, cold_cache: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    bad = ("services.web.replicas=-1",)
    first = validate_counting(mini, monkeypatch, bad)
    assert first[0] and first[1] == 3
    assert validate_counting(mini, monkeypatch, bad) == first


def test_a_literal_secret_is_found_on_every_run(mini: Path, cold_cache: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    edit_schema(mini, lambda s: s["properties"]["app"].pop("additionalProperties", None))
    secret = ("app.password=hunter2-literal",)
    for _ in range(2):
        problems, _ = validate_counting(mini, monkeypatch, secret)
        assert any("literal value for 'password'" in p for p in problems), problems


@pytest.mark.parametrize("edit", ["root", "beside"])
def test_any_change_in_the_schema_folder_misses(mini: Path, cold_cache: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                edit: str) -> None:
    """The root schema, or any file beside it (a ``$ref`` target, or one reached in a
    way mwgen does not follow, such as ``$dynamicRef``)."""
    assert validate_counting(mini, monkeypatch) == ([], 3)
    if edit == "root":
        edit_schema(mini, lambda s: s.update(description="edited"))
    else:
        (mini / "schemas/common.json").write_text('{"$defs": {}}\n')
    assert validate_counting(mini, monkeypatch) == ([], 3)


def test_other_engines_or_format_checkers_miss(mini: Path, cold_cache: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    assert validate_counting(mini, monkeypatch) == ([], 3)
    monkeypatch.setattr(passed, "_engines", lambda compiled: "jsonschema upgraded")
    assert validate_counting(mini, monkeypatch) == ([], 3)


def test_data_equal_in_json_but_of_other_types_has_other_keys() -> None:
    """The key is of the data as Python holds it: 1, 1.0, True and "1" are different
    values to a schema (``type``), and so are an int key and a str key."""
    samples: list[Any] = [{"a": 1}, {"a": 1.0}, {"a": True}, {"a": "1"}, {1: "a"}, {"1": "a"},
                          {"a": [1]}, {"a": (1,)}, {"a": None}, {"a": ""}, {}]
    keys = {passed.key_of_data(None, "schema", sample) for sample in samples}
    assert len(keys) == len(samples) and None not in keys


def test_data_that_cannot_be_keyed_is_simply_checked() -> None:
    assert passed.key_of_data(None, "schema", {"a": lambda: 1}) is None
