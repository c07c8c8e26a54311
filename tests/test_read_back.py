"""``read_back`` (how mwgen checks YAML it emitted) reads exactly what
``yaml.load_all(text, Loader=CSafeLoader)`` reads, errors included."""

from __future__ import annotations

import datetime

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mwgen.yamlio import read_back

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
           | st.text() | st.dates() | st.binary(max_size=8)
           | st.sampled_from(["yes", "no", "on", "~", "1e3", "0o17", "2024-01-05", "<<",
                              "=", ".inf", "-.NaN", "0x1F", "1_000", ":", "- a", "#"]))
data = st.recursive(scalars, lambda kids: st.lists(kids, max_size=4)
                    | st.dictionaries(scalars.filter(lambda k: not isinstance(k, bytes)),
                                      kids, max_size=4), max_leaves=25)


def both(text: str) -> tuple[object, object]:
    def run(read):
        try:
            return read(text)
        except Exception as err:  # noqa: BLE001 - the kind of failure is compared
            return type(err).__name__
    return run(lambda t: list(yaml.load_all(t, Loader=LOADER))), run(read_back)


@settings(max_examples=200, deadline=None)
@given(st.lists(data, min_size=0, max_size=3), st.booleans(), st.integers(1, 4))
def test_reads_what_pyyaml_reads(docs, flow, indent) -> None:
    text = yaml.safe_dump_all(docs, default_flow_style=flow, indent=indent + 1,
                              allow_unicode=True, sort_keys=False)
    expected, got = both(text)
    assert got == expected


@pytest.mark.parametrize("text", [
    "x: &a {k: v}\ny: *a\n<<: {m: 1}\n", "? [1, 2]\n: v\n", "? {a: 1}\n: v\n",
    "--- !!set {a, b}\n--- !!omap [a: 1]\n--- !!pairs [a: 1, a: 2]\n", "---\n---\n", "",
    "1: a\n1.5: b\nnull: c\ntrue: d\n2024-01-05: e\n", "a: 1\na: 2\n", "a: !!str 1\n",
    "a: !custom x\n", "a: [1, {b: 2}\n", "a: b: c\n", "- !!binary aGVsbG8=\n- 2001-12-14t21:59:43.10-05:00\n",
])
def test_edge_texts(text: str) -> None:
    expected, got = both(text)
    assert got == expected


def test_dates_are_dates_as_pyyaml_reads_them() -> None:
    assert read_back("d: 2024-01-05\n") == [{"d": datetime.date(2024, 1, 5)}]
