"""Template text and values: every combination escapes the value or is refused.

Jinja's HTML autoescaping used to meet values wherever template-written text
(``Markup``) did: ``R&D <team>`` came out as ``R&amp;D &lt;team&gt;`` and a newline in a
value could add keys. Each reproduction from the issue is a test here, and a property
test runs random values through random combinations of the constructs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mwgen.errors import MwgenError
from tests.render.corpus import CORPUS
from tests.render.project import render_one

MACROS = ("{% macro m(x) %}{{ x }}{% endmacro %}"
          "{% macro k() %}k{% endmacro %}"
          "{% macro wrap() %}v: {{ caller() }}{% endmacro %}")
HOSTILE = "R&D <team>\ninjected: true"


def refused(tmp_path: Path, source: str, value: Any = HOSTILE, name: str = "t.yaml.j2"
            ) -> str:
    """The one error line of a render that must fail, located in the template."""
    with pytest.raises(MwgenError) as info:
        render_one(tmp_path, name, source, {"s": value})
    [problem] = info.value.problems
    assert problem.file == f"templates/{name}" and problem.line > 0, problem.format()
    return problem.format()


@pytest.mark.parametrize("source", [
    pytest.param("v: {{ k() ~ values.s }}", id="macro ~ value"),
    pytest.param("v: {{ {'a': 1} | to_yaml ~ values.s }}", id="to_yaml ~ value"),
    pytest.param("v: {{ k() | replace('k', values.s) }}", id="replace into macro"),
    pytest.param("{% set b %}k{% endset %}v: {{ b ~ values.s }}", id="block set ~ value"),
    pytest.param("v: {{ k() + values.s }}", id="macro + value"),
    pytest.param("v: {{ k() | format(values.s) }}", id="format into macro"),
    pytest.param("v: {{ k().format(values.s) }}", id="str.format on macro"),
    pytest.param("v: {{ [k(), values.s] | join }}", id="join macro and value"),
    pytest.param("{% filter upper %}v: {{ values.s }}{% endfilter %}",
                 id="upper rewrites escapes"),
    pytest.param("v: {{ values.s | quote ~ values.s }}", id="quote ~ value"),
])
def test_template_text_joined_with_a_value_is_refused(tmp_path: Path, source: str) -> None:
    assert refused(tmp_path, MACROS + "\n" + source).startswith("templates/t.yaml.j2:2: ")


@pytest.mark.parametrize("name", ["e", "escape", "forceescape", "safe", "urlize",
                                  "xmlattr", "striptags", "tojson"])
def test_html_filters_are_refused_at_compile_time(tmp_path: Path, name: str) -> None:
    line = refused(tmp_path, f"a: 1\nv: {{{{ values.s | {name} }}}}\n")
    assert f"templates/t.yaml.j2:2: syntax error: filter '{name}' is not available" in line


def test_autoescape_blocks_are_refused(tmp_path: Path) -> None:
    line = refused(tmp_path, "a: 1\n{% autoescape true %}v: {{ values.s }}{% endautoescape %}")
    assert "autoescape" in line


def test_a_value_never_adds_keys_or_html_escapes(tmp_path: Path) -> None:
    text = render_one(tmp_path, "t.yaml.j2", MACROS + "\nv: {{ m(values.s) }}\n"
                      "w: {{ 'x-' ~ values.s }}\n", {"s": HOSTILE})
    assert yaml.safe_load(text) == {"v": HOSTILE, "w": "x-" + HOSTILE}


# -- the property: any value through any construct reads back or fails loudly ---------
REFUSE = None
CONSTRUCTS: list[tuple[str, Callable[[str], Any] | None]] = [
    ("v: {{ values.s }}", lambda s: s),
    ("v: {{ 'p-' ~ values.s ~ '-q' }}", lambda s: f"p-{s}-q"),
    ("v: {{ m(values.s) }}", lambda s: s),
    ("{% set o %}[{% endset %}{% set c %}]{% endset %}v: {{ o ~ m(values.s) ~ c }}",
     lambda s: [s]),  # fragments join with fragments
    ("v: {{ k() ~ values.s }}", REFUSE),
    ("v: {{ values.s ~ k() }}", REFUSE),
    ("v: {{ values.s | to_yaml }}", lambda s: s),
    ("v: {{ (values.s | to_yaml) ~ values.s }}", REFUSE),
    ("v: {{ k() | replace('k', values.s) }}", REFUSE),
    ("v: {{ values.s | replace('a', '-') }}", lambda s: s.replace("a", "-")),
    ("{% set b %}{{ values.s }}{% endset %}\nv: {{ b }}", lambda s: s),
    ("{% set b %}k{% endset %}\nv: {{ b ~ values.s }}", REFUSE),
    ("{% set b = values.s ~ 'x' %}\nv: {{ b }}", lambda s: s + "x"),
    ("{% set b | trim %}  {{ values.s }}  {% endset %}\nv: {{ b }}", lambda s: s),
    ("v: {{ [values.s, values.s] | join(',') }}", lambda s: f"{s},{s}"),
    ("v: {{ values.s | quote }}", lambda s: s),
    ("v: {{ '%s!' | format(values.s) }}", lambda s: s + "!"),
    ("v: {{ k() | format(values.s) }}", REFUSE),
    ("{% filter indent(2) %}v: {{ values.s }}{% endfilter %}", lambda s: s),
    ("{% filter upper %}v: {{ values.s }}{% endfilter %}", REFUSE),
    ("{% call wrap() %}{{ values.s }}{% endcall %}", lambda s: s),
    ("v:\n  {{ {'a': values.s, 'b': [values.s]} | to_yaml | indent(2) }}\n\n",
     lambda s: {"a": s, "b": [s]}),
    ("v: {{ {'a': values.s} }}", lambda s: {"a": s}),
]

values_text = st.one_of(
    st.sampled_from(CORPUS),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
    st.text("yYnN0189.eE+-_:#&*!|>'\"\\ \n\r\t{}[],%$@`~<=aok", max_size=8),
)


def render_value(tmp_path: Path, name: str, source: str, value: str) -> Any:
    text = render_one(tmp_path, name, source, {"s": value})
    return json.loads(text) if name.endswith(".json.j2") else yaml.safe_load(text)


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(range(len(CONSTRUCTS))), values_text)
def test_any_value_through_any_construct_reads_back_or_is_refused(
        tmp_path_factory: pytest.TempPathFactory, which: int, value: str) -> None:
    source, expect = CONSTRUCTS[which]
    root = tmp_path_factory.mktemp("p")
    if expect is REFUSE:
        refused(root, MACROS + "\n" + source + "\nafter: 1\n", value)
        return
    got = render_value(root, "t.yaml.j2", MACROS + "\n" + source + "\nafter: 1\n", value)
    assert got == {"v": expect(value), "after": 1}


JSON_CONSTRUCTS: list[tuple[str, Callable[[str], Any] | None]] = [
    ('{"v": {{ values.s }}}', lambda s: s),
    ('{"v": {{ m(values.s) }}}', lambda s: s),
    ('{"v": {{ values.s | to_json }}}', lambda s: s),
    ('{"v": {{ {"a": [values.s]} }}}', lambda s: {"a": [s]}),
    ('{"v": {{ (values.s | to_json) ~ values.s }}}', REFUSE),
    ('{"v": {{ k() ~ values.s }}}', REFUSE),
]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(range(len(JSON_CONSTRUCTS))), values_text)
def test_any_value_reads_back_from_json_or_is_refused(
        tmp_path_factory: pytest.TempPathFactory, which: int, value: str) -> None:
    source, expect = JSON_CONSTRUCTS[which]
    root = tmp_path_factory.mktemp("p")
    if expect is REFUSE:
        refused(root, MACROS + "\n" + source, value, name="t.json.j2")
        return
    assert render_value(root, "t.json.j2", MACROS + "\n" + source, value) == {"v": expect(value)}


def test_str_methods_other_than_format_work_on_template_text(tmp_path: Path) -> None:
    """Their results are plain strings: values again, escaped when written."""
    text = render_one(tmp_path, "t.yaml.j2", "{% set b %}a,y{% endset %}v: {{ b.split(',') }}\n",
                      {})
    assert yaml.safe_load(text) == {"v": ["a", "y"]}


def test_text_outputs_join_freely(tmp_path: Path) -> None:
    """Text outputs escape nothing, so template text and values simply join."""
    text = render_one(tmp_path, "t.txt.j2", MACROS + "\n{{ k() ~ values.s }}\n", {"s": HOSTILE})
    assert text == "\nk" + HOSTILE + "\n"
