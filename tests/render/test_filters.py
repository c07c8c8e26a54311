"""The filter registry (mwgen.render.filters), called directly: what each filter
returns, and which mixes of values and template-written text it refuses."""

from __future__ import annotations

import pytest
from jinja2 import Undefined
from jinja2.exceptions import TemplateRuntimeError

from mwgen.render import filters
from mwgen.render.escaping import Fragment, MixedText


def test_registry_has_no_html_filters_and_refused_ones_say_why() -> None:
    assert not set(filters.REFUSED) & set(filters.FILTERS)
    assert "to_json" in filters.REFUSED["tojson"]
    assert filters.GLOBALS["cidrsubnet"] is filters.cidrsubnet


def test_format_filters_return_fragments() -> None:
    assert filters.to_yaml({"b": 1, "a": [True, None]}) == "b: 1\na:\n  - true\n  - null"
    assert isinstance(filters.to_yaml({"a": 1}), Fragment)
    assert filters.to_json({"a": "x"}) == '{"a": "x"}'
    assert filters.hcl(["a", 1, None]) == '["a", 1, null]'
    assert isinstance(filters.raw("text"), Fragment)


@pytest.mark.parametrize("prefix, newbits, netnum, expected", [
    ("10.0.0.0/16", 8, 0, "10.0.0.0/24"),
    ("10.0.0.0/16", 8, 255, "10.0.255.0/24"),
    ("10.0.0.0/16", 4, 3, "10.0.48.0/20"),
    ("fd00::/48", 16, 1, "fd00:0:0:1::/64"),
])
def test_cidrsubnet_matches_terraform(prefix: str, newbits: int, netnum: int,
                                      expected: str) -> None:
    assert filters.cidrsubnet(prefix, newbits, netnum) == expected


@pytest.mark.parametrize("args, fragment", [
    (("10.0.0.0/16", 8, 256), "has no netnum 256"),
    (("10.0.0.0/30", 8, 0), "cannot extend prefix"),
    (("not-a-cidr", 1, 0), "cidrsubnet:"),
])
def test_cidrsubnet_refuses_what_terraform_refuses(args: tuple, fragment: str) -> None:
    with pytest.raises(TemplateRuntimeError, match=fragment):
        filters.cidrsubnet(*args)


@pytest.mark.parametrize("missing", [None, "", [], {}, Undefined()])
def test_required_fails_on_empty_with_the_authors_reason(missing: object) -> None:
    with pytest.raises(filters.RequiredValueMissing, match="^required: set services.x.image$"):
        filters.required(missing, "set services.x.image")


def test_required_passes_falsy_values_that_are_set() -> None:
    assert filters.required(0) == 0
    assert filters.required(False) is False


def test_digests_and_base64() -> None:
    assert filters.b64encode("héllo") == "aMOpbGxv"
    assert filters.sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_join_values_is_one_value_and_fragments_stay_fragments() -> None:
    assert filters.join(["a", 1], ",") == "a,1"
    assert not isinstance(filters.join(["a", 1], ","), Fragment)
    joined = filters.join([Fragment("a: 1"), Fragment("b: 2")], "\n")
    assert isinstance(joined, Fragment) and joined == "a: 1\nb: 2"
    with pytest.raises(MixedText):
        filters.join([Fragment("a: 1"), "value"], "\n")


def test_values_only_filters_refuse_template_text() -> None:
    assert filters.FILTERS["upper"]("abc") == "ABC"
    with pytest.raises(MixedText):
        filters.FILTERS["upper"](Fragment("a: \"\\n\""))
    with pytest.raises(MixedText):
        filters.replace(Fragment("a: 1"), "1", "2")
    assert filters.replace("a-b", "-", "_") == "a_b"


def test_layout_filters_keep_fragments() -> None:
    indented = filters.indent(Fragment("a: 1\nb: 2"), 2)
    assert isinstance(indented, Fragment) and indented == "a: 1\n  b: 2"
    with pytest.raises(MixedText):
        filters.indent(Fragment("a"), "> ")
    trimmed = filters.trim(Fragment("  a: 1 \n"))
    assert isinstance(trimmed, Fragment) and trimmed == "a: 1"
    with pytest.raises(MixedText):
        filters.trim(Fragment("xa: 1x"), "x")
    assert filters.trim("xabx", "x") == "ab"
