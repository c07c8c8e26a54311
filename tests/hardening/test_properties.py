"""Property-based tests: merge laws, structure safety, determinism."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import hcl2
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mwgen.project import load_project
from mwgen.render.engine import render
from mwgen.render.escaping import hcl_string, json_value, yaml_scalar
from mwgen.render.formats import canonicalise
from mwgen.values import Layer, layer_all, merge
from mwgen.yamlio import Origin, Prov, load_mapping
from tests.helpers import FIXTURES, copy_project

MINI = FIXTURES / "mini"
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

# -- merge laws -------------------------------------------------------------------------
keys = st.sampled_from(["a", "b", "c", "d"])
scalars = st.one_of(st.integers(-5, 5), st.text("xyz", max_size=3), st.booleans())
trees = st.recursive(scalars | st.lists(scalars, max_size=2),
                     lambda kids: st.dictionaries(keys, kids | st.none(), max_size=3),
                     max_leaves=8)
mappings = st.dictionaries(keys, trees | st.none(), max_size=4)
# Upper layers for the associativity law: no nulls, and each key keeps one kind at every
# depth ("a"/"b" hold scalars or lists, "c"/"d" hold mappings), as values files do.
leaf_keys = st.sampled_from(["a", "b"])
map_keys = st.sampled_from(["c", "d"])
null_free = st.recursive(
    st.dictionaries(leaf_keys, scalars | st.lists(scalars, max_size=2), max_size=2),
    lambda kids: st.builds(lambda leaves, maps: {**leaves, **maps},
                           st.dictionaries(leaf_keys, scalars | st.lists(scalars, max_size=2),
                                           max_size=2),
                           st.dictionaries(map_keys, kids, max_size=2)),
    max_leaves=8)


def as_layer(name: str, data: dict[str, Any]) -> Layer:
    """Through the real loader, so provenance is what a values file would give."""
    return Layer(name, *load_mapping(json.dumps(data).encode(), name))


def no_nulls(value: Any) -> bool:
    if isinstance(value, dict):
        return all(v is not None and no_nulls(v) for v in value.values())
    return True


@SETTINGS
@given(null_free, null_free, null_free)
def test_layering_is_associative(a, b, c):
    """Grouping does not matter when the layers delete nothing and keep each key's kind.

    Outside that domain grouping matters by design, and mwgen always folds left: a null
    deletes what lies below it *at that point*; a scalar replaces a mapping, and a
    mapping that comes back later merges with whatever lies below it then (found by
    hypothesis: a={d: {a: 0}}, b={d: 0}, c={d: {}})."""
    la, lb, lc = as_layer("a.yaml", a), as_layer("b.yaml", b), as_layer("c.yaml", c)
    left = layer_all([la, lb, lc])
    ab = layer_all([la, lb])
    right_data, _ = merge(ab.data, ab.prov, lc.data, lc.prov)
    bc_data, bc_prov = merge({}, Prov(Origin("b.yaml"), {}), lb.data, lb.prov)
    bc_data, bc_prov = merge(bc_data, bc_prov, lc.data, lc.prov)
    grouped, _ = merge(*merge({}, Prov(Origin("a.yaml"), {}), la.data, la.prov), bc_data, bc_prov)
    assert left.data == right_data == grouped
    assert no_nulls(left.data)  # null deletes; it never survives as a value


@SETTINGS
@given(mappings, st.lists(keys, min_size=1, max_size=3))
def test_null_deletes_the_key(base, path):
    over: dict[str, Any] = {}
    node = over
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = None
    merged = layer_all([as_layer("base.yaml", base), as_layer("over.yaml", over)]).data
    node = merged
    for key in path[:-1]:
        if not isinstance(node, dict) or key not in node:
            return
        node = node[key]
    assert not isinstance(node, dict) or path[-1] not in node


@SETTINGS
@given(mappings, mappings)
def test_provenance_points_at_the_file_that_won(a, b):
    merged = layer_all([as_layer("a.yaml", a), as_layer("b.yaml", b)])
    for path, value, origin in merged.leaves():
        if not path or value == {}:  # a merged mapping keeps its lowest origin
            continue
        node: Any = b
        for part in path:  # a leaf set by b exists in b along the whole path
            ok = (isinstance(node, dict) and part in node) or (
                isinstance(node, list) and isinstance(part, int) and part < len(node))
            node = node[part] if ok else None
            if node is None:
                break
        assert origin.file == ("b.yaml" if node is not None else "a.yaml"), path


# -- structure safety -------------------------------------------------------------------
values_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


def plain_keys(block: dict[str, Any]) -> set[str]:
    """Keys of a python-hcl2 block without its own markers (``__comments__``...)."""
    return {k for k in block if not k.startswith("__")}


@SETTINGS
@given(values_text)
def test_any_string_is_one_yaml_scalar(value):
    docs = yaml.safe_load_all(canonicalise("yaml", f"a: {yaml_scalar(value)}\nb: 1\n", "t"))
    assert list(docs) == [{"a": value, "b": 1}]


@SETTINGS
@given(values_text)
def test_any_string_is_one_json_value(value):
    text = canonicalise("json", f'{{"a": {json_value(value)}, "b": 1}}', "t")
    assert json.loads(text) == {"a": value, "b": 1}


@SETTINGS
@given(values_text)
def test_any_string_is_one_hcl_string(value):
    literal = hcl_string(value)
    text = canonicalise("hcl", f"locals {{\n  a = {literal}\n  b = 1\n}}\n", "t")
    parsed = hcl2.loads(text)
    assert plain_keys(parsed) == {"locals"} and len(parsed["locals"]) == 1
    assert plain_keys(parsed["locals"][0]) == {"a", "b"}
    assert parsed["locals"][0]["a"] == literal  # python-hcl2 keeps the literal as written


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values_text)
def test_values_cannot_change_the_rendered_structure(tmp_path_factory, value):
    root = copy_project(MINI, tmp_path_factory.mktemp("mini"))
    extra = root / "extra.yaml"
    extra.write_text(yaml.safe_dump({"app": {"note": value}}), encoding="utf-8")
    files = render(load_project(root, search=False, extra_files=[extra])).files
    [config] = yaml.safe_load_all(files["prod/r1/config.yaml"].content)
    assert set(config) == {"apiVersion", "kind", "metadata", "data"}
    assert config["data"]["note"] == value and config["data"]["quoted"] == value
    tf = hcl2.loads(files["prod/env.tf"].content.decode())
    assert plain_keys(tf) == {"locals", "module"} and len(tf["module"]) == 2
    assert tf["locals"][0]["note"] == hcl_string(value)


# -- determinism ------------------------------------------------------------------------
@settings(max_examples=3, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 50), values_text)
def test_same_bytes_twice_and_in_parallel(tmp_path_factory, replicas, note):
    root: Path = copy_project(MINI, tmp_path_factory.mktemp("mini"))
    extra = root / "extra.yaml"
    extra.write_text(yaml.safe_dump({"app": {"note": note}}), encoding="utf-8")
    sets = [f"services.web.replicas={replicas}"]
    runs = [render(load_project(root, search=False, overrides=sets, extra_files=[extra]),
                   jobs=jobs)
            for jobs in (1, 1, 2)]
    contents = [{p: f.content for p, f in r.files.items()} for r in runs]
    assert contents[0] == contents[1] == contents[2]
    assert list(runs[0].files) == list(runs[2].files)
