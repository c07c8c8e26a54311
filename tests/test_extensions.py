"""Project extension files: what they provide, and located errors when they are wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from mwgen.errors import InputError
from mwgen.extensions import load_extensions


def test_no_extensions(tmp_path: Path) -> None:
    ext = load_extensions(tmp_path, None)
    assert ext.filters == {} and ext.tests == {} and ext.rules == ()


def test_filters_tests_rules(tmp_path: Path) -> None:
    (tmp_path / "ext.py").write_text(
        "FILTERS = {'shout': lambda s: s.upper()}\n"
        "TESTS = {'short': lambda s: len(s) < 4}\n"
        "RULES = ['rule-object']\n")
    ext = load_extensions(tmp_path, "ext.py")
    assert ext.filters["shout"]("a") == "A" and ext.tests["short"]("ab")
    assert ext.rules == ("rule-object",) and ext.file == "ext.py"


@pytest.mark.parametrize("source, expected", [
    ("x = (\n", "ext.py:1:"),
    ("import os\n\nraise ValueError('boom')\n", "ext.py:3: ValueError while loading: boom"),
    ("FILTERS = {'a': 1}\n", "ext.py: FILTERS must be a dict of name -> callable"),
    ("RULES = 3\n", "ext.py: RULES must be a list"),
])
def test_errors_are_located(tmp_path: Path, source: str, expected: str) -> None:
    (tmp_path / "ext.py").write_text(source)
    with pytest.raises(InputError) as info:
        load_extensions(tmp_path, "ext.py")
    assert info.value.lines()[0].startswith(expected), info.value.lines()


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_extensions(tmp_path, "nope.py")
    assert info.value.lines()[0].startswith("mwgen.yaml: extensions: cannot read nope.py")
