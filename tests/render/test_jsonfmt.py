"""The fast indented JSON writer writes exactly what ``json.dumps(indent=...)`` writes."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from mwgen.render.jsonfmt import dumps_indented

scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
           | st.text())
keys = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
data = st.recursive(scalars, lambda kids: st.lists(kids, max_size=4)
                    | st.dictionaries(keys, kids, max_size=4), max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(data, st.integers(0, 4))
def test_same_bytes_as_json_dumps(value, indent) -> None:
    assert dumps_indented(value, indent) == json.dumps(value, indent=indent,
                                                       ensure_ascii=False)


@pytest.mark.parametrize("value", [
    {"a": [1, 2.5, -0.0, 1e300, float("inf"), float("-inf")], "b": {}, "c": []},
    ["\u2028", "\x00\x1f\"\\", "é😀", Markup("<b>")], (1, (2, 3)), {1: True, 2.5: None},
])
def test_edge_values(value) -> None:
    assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_what_json_cannot_hold_fails_as_json_fails() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps_indented({"a": {1, 2}})
    with pytest.raises(TypeError, match="keys must be str"):
        dumps_indented({(1, 2): 1})


def test_non_finite_numbers_are_refused_as_json_refuses_them() -> None:
    for value in ({"a": [float("nan")]}, [float("inf")]):
        with pytest.raises(ValueError, match="not JSON compliant"):
            dumps_indented(value, allow_nan=False)
    assert dumps_indented([1.5], allow_nan=False) == json.dumps([1.5], indent=2)
