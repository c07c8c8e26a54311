"""mwgen.promote.edit: one scalar changes, every other byte stays (comments, blank
lines, key order, quoting, anchors, flow and block style)."""

from __future__ import annotations

import difflib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mwgen.promote.edit import EditError, check_only, set_scalar

DOC = """\
# header comment

services:   # inline comment
  web:
    image: {repository: shop/web, tag: v1.0.0}  # the storefront
    quoted: "v1.0.0"
    single: 'v1.0.0'
    anchored: &ver v1.0.0

  api:
    image:
      tag: v2.0.0   # spaced comment
    ports:
      - 80
      - 443
# trailing comment
"""


@pytest.mark.parametrize("path, value, old_line, new_line", [
    (("services", "web", "image", "tag"), "v1.1.0",
     "    image: {repository: shop/web, tag: v1.0.0}  # the storefront\n",
     "    image: {repository: shop/web, tag: v1.1.0}  # the storefront\n"),
    (("services", "web", "quoted"), "v1.1.0", '    quoted: "v1.0.0"\n', '    quoted: "v1.1.0"\n'),
    (("services", "web", "single"), "it's", "    single: 'v1.0.0'\n", "    single: 'it''s'\n"),
    (("services", "web", "anchored"), "v1.1.0", "    anchored: &ver v1.0.0\n",
     "    anchored: &ver v1.1.0\n"),
    (("services", "api", "image", "tag"), "v2.1.0", "      tag: v2.0.0   # spaced comment\n",
     "      tag: v2.1.0   # spaced comment\n"),
    # a plain scalar that would read back as something else gets quotes
    (("services", "api", "image", "tag"), "1.10", "      tag: v2.0.0   # spaced comment\n",
     '      tag: "1.10"   # spaced comment\n'),
])
def test_replacing_a_scalar_changes_only_its_line(path: tuple[str, ...], value: str,
                                                  old_line: str, new_line: str) -> None:
    edited = set_scalar(DOC, path, value)
    assert edited.text == DOC.replace(old_line, new_line)
    assert DOC.count(old_line) == 1
    assert not edited.created
    check_only(DOC, edited.text, "f.yaml", {path: value})


def test_a_missing_key_is_added_after_the_mapping_s_last_line() -> None:
    edited = set_scalar(DOC, ("services", "api", "strategy", "slots", "green", "tag"), "v3")
    assert edited.text == DOC.replace(
        "      - 443\n",
        "      - 443\n    strategy:\n      slots:\n        green:\n          tag: v3\n")
    assert (edited.line, edited.column) == (19, 16)
    assert edited.created


def test_a_missing_key_in_a_flow_mapping_stays_flow() -> None:
    edited = set_scalar(DOC, ("services", "web", "image", "digest"), "sha256:abc")
    assert edited.text == DOC.replace("tag: v1.0.0}", 'tag: v1.0.0, digest: sha256:abc}')


def test_an_empty_or_missing_file_gets_a_block() -> None:
    assert set_scalar("", ("services", "web", "image", "tag"), "v1").text == \
        "services:\n  web:\n    image:\n      tag: v1\n"
    assert set_scalar("# only a comment", ("a",), "v1").text == "# only a comment\na: v1\n"


def test_an_anchor_shared_by_an_alias_is_refused() -> None:
    text = "base: &b\n  tag: v1   # shared\nother:\n  copy: *b\n"
    edited = set_scalar(text, ("other", "copy", "tag"), "v2")
    with pytest.raises(EditError, match="shared through a YAML anchor and alias with "
                                        "base.tag"):
        check_only(text, edited.text, "f.yaml", {("other", "copy", "tag"): "v2"})


def test_an_anchor_without_alias_is_kept_and_edited() -> None:
    text = "a: &v v1\nb: *v\n"
    with pytest.raises(EditError, match="with b"):
        check_only(text, set_scalar(text, ("a",), "v2").text, "f.yaml", {("a",): "v2"})


@pytest.mark.parametrize("text, path, message", [
    ("a: [1, 2]\n", ("a", "b"), "a is not a mapping"),
    ("a: {b: {c: 1}}\n", ("a", "b"), "holds a mapping or a list"),
    ("a: |\n  v1\n", ("a",), "block scalar"),
])
def test_edits_that_cannot_be_made(text: str, path: tuple[str, ...], message: str) -> None:
    with pytest.raises(EditError, match=message):
        set_scalar(text, path, "v2")


def test_a_new_top_level_key_goes_after_the_last_line_in_the_file_s_indentation() -> None:
    text = "# a target file\nnetwork:\n    vpc_cidr: 10.0.0.0/16\n\nregion:\n    a: b  # end\n"
    edited = set_scalar(text, ("services", "web", "image", "tag"), "v1")
    assert edited.text == text + "\nservices:\n    web:\n        image:\n            tag: v1\n"
    assert (edited.line, edited.column) == (11, 18)


_PATHS = [("services", "web", "image", "tag"), ("services", "web", "quoted"),
          ("services", "web", "single"), ("services", "api", "image", "tag"),
          ("services", "api", "new", "tag"), ("services", "web", "image", "digest"),
          ("top", "level")]


@settings(max_examples=150, deadline=None)
@given(path=st.sampled_from(_PATHS),
       value=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30))
def test_any_string_reads_back_and_nothing_else_moves(path: tuple[str, ...], value: str
                                                      ) -> None:
    from mwgen.yamlio import load_text

    edited = set_scalar(DOC, path, value)
    check_only(DOC, edited.text, "f.yaml", {path: value})  # the value, and nothing else
    node = load_text(edited.text, "f.yaml")[0]
    for key in path:
        node = node[key]
    assert node == value
    ops = {op[0] for op in difflib.SequenceMatcher(
        a=DOC.splitlines(), b=edited.text.splitlines(), autojunk=False).get_opcodes()}
    if edited.created and "replace" not in ops:
        assert ops == {"equal", "insert"}  # new keys: lines added, every old line kept
    else:
        changed_lines = [a for a, b in zip(DOC.splitlines(), edited.text.splitlines()) if a != b]
        assert len(changed_lines) == 1  # one line rewritten in place
        assert len(DOC.splitlines()) == len(edited.text.splitlines())


def test_entries_set_apart_by_blank_lines_get_one_too() -> None:
    text = "network:\n  vpc: x\n\nregion:\n  a: b\n"
    assert set_scalar(text, ("services", "web"), "v1").text == text + "\nservices:\n  web: v1\n"
    tight = "a:\n  b: 1\n  c: 2\n"
    assert set_scalar(tight, ("a", "d"), "v1").text == tight + "  d: v1\n"
