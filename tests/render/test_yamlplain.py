"""When a plain YAML scalar is a string for every reader (mwgen.render.yamlplain):
PyYAML (YAML 1.1), go-yaml v2 (kubectl) and YAML 1.2 core (ruamel.yaml) each have
their own list of what is not."""

from __future__ import annotations

import pytest

from mwgen.render.yamlplain import (
    goyaml_v2_is_string,
    is_string_everywhere,
    pyyaml_is_string,
    yaml12_is_string,
)


@pytest.mark.parametrize("text, pyyaml, goyaml, yaml12", [
    ("hello", True, True, True),
    ("1.30", False, False, False),
    ("yes", False, False, True),        # YAML 1.1 booleans; 1.2 has only true/false
    ("on", False, False, True),
    ("0o17", True, False, False),       # 1.2 and go-yaml octal; PyYAML reads text
    ("1_000", False, False, False),     # every reader allows "_" in numbers
    ("2024-01-02", False, False, False),
    ("~", False, False, False),
    ("v1.2.3", True, True, True),
    ("1.2.3", True, True, True),
])
def test_each_reader(text: str, pyyaml: bool, goyaml: bool, yaml12: bool) -> None:
    assert (pyyaml_is_string(text), goyaml_v2_is_string(text), yaml12_is_string(text)) == \
        (pyyaml, goyaml, yaml12)
    assert is_string_everywhere(text) == (pyyaml and goyaml and yaml12)


def test_a_word_that_cannot_start_a_number_or_keyword_is_a_string_without_asking() -> None:
    assert is_string_everywhere("production")
    assert is_string_everywhere("web-1")
