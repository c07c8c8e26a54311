"""Layering laws and provenance."""

from __future__ import annotations

import pytest

from mwgen.errors import UsageError, format_path
from mwgen.values import Layer, layer_all, parse_set
from mwgen.yamlio import load_mapping


def layer(name: str, text: str) -> Layer:
    data, prov = load_mapping(text.encode(), name)
    return Layer(name, data, prov)


def test_deep_merge_lists_replace_null_deletes():
    merged = layer_all([
        layer("a.yaml", "m:\n  x: 1\n  y: [1, 2]\n  gone: 1\nkeep: k\n"),
        layer("b.yaml", "m:\n  y: [3]\n  z: {p: 1, q: null}\n  gone: null\n"),
    ])
    assert merged.data == {"m": {"x": 1, "y": [3], "z": {"p": 1}}, "keep": "k"}
    assert str(merged.origin(("m", "x"))) == "a.yaml:2:3"
    assert str(merged.origin(("m", "y"))) == "b.yaml:2:3"
    assert str(merged.origin(("m", "y", 0))) == "b.yaml:2:7"
    assert str(merged.origin(("m", "z", "p"))) == "b.yaml:3:7"


def test_merge_does_not_mutate_layers():
    base = layer("a.yaml", "m: {x: 1}\n")
    layer_all([base, layer("b.yaml", "m: {x: 2, y: 3}\n")])
    assert base.data == {"m": {"x": 1}}


def test_leaves_know_their_files():
    merged = layer_all([layer("a.yaml", "a: 1\nb: {c: 2}\n"), layer("b.yaml", "b: {c: 3}\n")])
    leaves = {format_path(p): (v, o.file) for p, v, o in merged.leaves()}
    assert leaves == {"a": (1, "a.yaml"), "b.c": (3, "b.yaml")}


def test_set_parses_yaml_scalars():
    merged = layer_all([layer("a.yaml", "s: {r: 1, n: x}\n"),
                        parse_set(["s.r=5", "s.n='5'", "s.flag=true", "s.gone=", "new.k=v"])])
    assert merged.data == {"s": {"r": 5, "n": "5", "flag": True}, "new": {"k": "v"}}
    assert merged.origin(("s", "r")).file == "--set s.r"


def test_set_values_are_read_as_yaml_like_a_file():
    """README.md: `{a: 1}` is a mapping and `[a, b]` a list, merged like a layer; YAML 1.1
    scalars (`on` is true, `1e3` without a dot is a string)."""
    merged = layer_all([layer("a.yaml", "m: {keep: 1, a: 0}\nl: [x, y, z]\n"),
                        parse_set(["m={a: 1}", "l=[a, b]", "o=on", "e=1e3", "f=1.0e+3"])])
    assert merged.data == {"m": {"keep": 1, "a": 1}, "l": ["a", "b"], "o": True,
                           "e": "1e3", "f": 1000.0}


@pytest.mark.parametrize("bad", ["noequals", "=1", "a..b=1", ".a=1", "a. b=1", "a=[1,"])
def test_bad_set_is_a_usage_error(bad):
    with pytest.raises(UsageError, match="--set"):
        parse_set([bad])


def test_format_path():
    assert format_path(("services", "api", "ports", 0, "name")) == "services.api.ports[0].name"
