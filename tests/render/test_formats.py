"""mwgen.render.formats: every rendered file is parsed and canonicalised in its format
(header, layout), and text that does not parse is an OutputInvalid at its line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from mwgen import resultcache
from mwgen.errors import OutputInvalid
from mwgen.render import formats
from mwgen.render.formats import CANONICALISERS, HEADER, canonicalise, parse_output

T = "templates/x.j2"
HEAD = "# " + HEADER.format(template=T) + "\n"


@pytest.fixture(autouse=True)
def _own_cache(cold_cache: Path) -> Path:
    """A cold user cache per test: the HCL results it remembers are looked at below."""
    return cold_cache


def cached(cache: Path) -> list[bytes]:
    """The keys of every result remembered in ``cache``."""
    if not (cache / resultcache.FILENAME).exists():
        return []
    with sqlite3.connect(cache / resultcache.FILENAME) as db:
        return [key for key, in db.execute("SELECT key FROM results")]


def invalid(fmt: str, text: str, template: str = T) -> OutputInvalid:
    with pytest.raises(OutputInvalid) as caught:
        canonicalise(fmt, text, template)
    return caught.value


def test_the_formats_are_a_registry() -> None:
    assert set(CANONICALISERS) == {"yaml", "json", "hcl", "text"}
    with pytest.raises(KeyError):
        canonicalise("toml", "", T)


def test_yaml_is_re_emitted_canonically_under_the_header() -> None:
    text = "b: {x: 1}\nlist: [a, 'b']\n---\n---\n- 1\n"
    assert canonicalise("yaml", text, T) == HEAD + "b:\n  x: 1\nlist:\n  - a\n  - b\n---\n- 1\n"


def test_yaml_with_no_document_is_the_header_alone() -> None:
    assert canonicalise("yaml", "", T) == HEAD
    assert canonicalise("yaml", "# only a comment\n---\n", T) == HEAD


@pytest.mark.parametrize("text, line, fragment", [
    ("a: 1\nb: [\n", 3, ""),
    ("a: 1\na: 2\n", 2, "duplicate key"),
    ("a: 1\n  b: 2\n", 2, ""),
])
def test_invalid_yaml_is_located_in_the_rendered_text(text: str, line: int, fragment: str
                                                      ) -> None:
    err = invalid("yaml", text)
    assert err.message.startswith("rendered YAML is invalid: ") and fragment in err.message
    assert err.line == line


def test_json_is_indented_by_two_with_a_final_newline_and_no_header() -> None:
    assert canonicalise("json", '{"b":[1,2.5,"é"],"a":{}}', T) == (
        '{\n  "b": [\n    1,\n    2.5,\n    "é"\n  ],\n  "a": {}\n}\n')


def test_invalid_json_is_located() -> None:
    err = invalid("json", '{\n  "a": 1,\n}')
    assert err.line == 3 and err.message.startswith("rendered JSON is invalid: ")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_has_no_nan_or_infinity_and_the_line_is_the_constants(constant: str) -> None:
    err = invalid("json", '{\n  "note": "NaN here is text",\n  "x": ' + constant + "\n}")
    assert err.line == 3
    assert err.message == (f"rendered JSON is invalid: {constant} is not JSON (JSON has no "
                           "NaN or Infinity)")


def test_a_nan_inside_a_string_is_fine() -> None:
    assert canonicalise("json", '["NaN", "Infinity"]', T) == '[\n  "NaN",\n  "Infinity"\n]\n'


def test_hcl_is_checked_formatted_and_headed(_own_cache: Path) -> None:
    out = canonicalise("hcl", 'resource "a" "b" {\nx = 1\nlonger = "v"\n}\n', "templates/m.tf.j2")
    assert out == ("# " + HEADER.format(template="templates/m.tf.j2") + "\n\n"
                   'resource "a" "b" {\n  x      = 1\n  longer = "v"\n}\n')
    resultcache.flush()
    assert len(cached(_own_cache)) == 1  # remembered for next time


def test_hcl_from_the_cache_is_the_same_without_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    text = 'locals {\na = 1\n}\n'
    first = canonicalise("hcl", text, "templates/m.tf.j2")

    def no_parse(*args: object) -> str:
        raise AssertionError("parsed again")

    monkeypatch.setattr(formats, "_hcl_checked", no_parse)
    assert canonicalise("hcl", text, "templates/m.tf.j2") == first
    with pytest.raises(AssertionError):  # another template name is the same key, but
        canonicalise("hcl", text, "templates/m.tfvars.j2")  # .tfvars is checked apart


def test_invalid_hcl_is_located_and_never_remembered(_own_cache: Path) -> None:
    err = invalid("hcl", 'locals {\n  a = \n}\n', "templates/m.tf.j2")
    assert err.message.startswith("rendered HCL is invalid: ") and err.line == 2
    shape = invalid("hcl", 'resource "a" "b" "c" {\n}\n', "templates/m.tf.j2")
    assert "'resource' blocks take 2 labels, found 3" in shape.message and shape.line == 1
    resultcache.flush()
    assert cached(_own_cache) == []


def test_a_tfvars_file_holds_no_blocks() -> None:
    assert canonicalise("hcl", 'a = 1\n', "templates/x.tfvars.j2").endswith("a = 1\n")
    err = invalid("hcl", 'a = 1\nlocals {\n}\n', "templates/x.tfvars.j2")
    assert err.message == ("rendered HCL is invalid: locals: a .tfvars file sets variables "
                           "and holds no blocks") and err.line == 2


def test_text_only_gains_a_final_newline() -> None:
    assert canonicalise("text", "a", T) == "a\n"
    assert canonicalise("text", "a\n\n", T) == "a\n\n"
    assert canonicalise("text", "", T) == ""


def test_parse_output_reads_what_canonicalise_wrote() -> None:
    yaml_text = canonicalise("yaml", "a: 1\n---\n- x\n", T)
    assert parse_output("yaml", yaml_text, "out.yaml") == [{"a": 1}, ["x"]]
    assert parse_output("json", '{"a": [1.5]}', "out.json") == {"a": [1.5]}
    assert parse_output("hcl", "a = 1\n", "out.tf") == "a = 1\n"


def test_a_large_terraform_file_is_checked_in_parts_and_errors_keep_whole_file_lines(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts bound the memory of a large file; what they give, and where an error is,
    is what the whole file gives."""
    from mwgen.hcl import api

    monkeypatch.setattr(formats, "LARGE_HCL", 0)
    monkeypatch.setattr(api, "PART_SIZE", 1)
    block = 'resource "aws_s3_bucket" "b%d" {\n  bucket="x"\n  force_destroy = true\n}\n\n'
    text = "".join(block % i for i in range(5))
    monkeypatch.setattr(formats, "LARGE_HCL", 10**9)
    whole = formats._hcl_checked(text, False)
    monkeypatch.setattr(formats, "LARGE_HCL", 0)
    assert formats._hcl_checked(text, False) == whole
    broken = text + 'resource "aws_s3_bucket" {\n  bucket = "x"\n}\n'  # a label short
    with pytest.raises(OutputInvalid) as caught:
        formats._hcl_checked(broken, False)
    assert caught.value.line == text.count("\n") + 1  # the whole file's line, not a part's
