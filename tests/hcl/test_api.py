"""mwgen.hcl.loads: the one wrapper around python-hcl2, the same under its majors 7 and 8.

python-hcl2 8 reports comments as ``__comments__`` keys, which ``mwgen diff`` showed
as a fake address and counted as changes (issue #13 item 6).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mwgen.diff.hcl import diff_hcl
from mwgen.hcl import HCLParseError, api, format_checked, loads
from mwgen.hcl.api import strip_comment_keys

TF = '''# top comment
resource "aws_s3_bucket" "b" {
  # inside
  bucket = "x" # trailing
  tags = {
    # in an object
    a = 1
  }
}
'''


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_comments_are_not_data() -> None:
    keys = _keys(loads(TF))
    assert not keys & {"__comments__", "__inline_comments__"}
    assert "resource" in keys


def test_a_comment_only_edit_is_no_change() -> None:
    edited = TF.replace("# inside", "# changed words").replace("# top comment\n", "")
    assert diff_hcl(TF, edited, "terraform/modules/s3/main.tf") == []


def test_no_address_is_made_of_comments() -> None:
    (doc,) = diff_hcl("", TF, "terraform/modules/s3/main.tf")
    assert "__comments__" not in repr(doc)


def test_python_hcl2_7_api_is_handled(monkeypatch: pytest.MonkeyPatch) -> None:
    """7.x has no serialization options and no comment keys; the wrapper calls it plainly."""
    import hcl2
    import hcl2.utils

    calls: list[str] = []

    def old_loads(text: str) -> dict[str, Any]:
        calls.append(text)
        return {"locals": [{"a": 1, "__is_block__": True}]}

    monkeypatch.setattr(hcl2, "loads", old_loads)
    monkeypatch.delattr(hcl2.utils, "SerializationOptions")
    assert loads("locals {\n  a = 1\n}\n") == {"locals": [{"a": 1, "__is_block__": True}]}
    assert calls


def test_comment_keys_are_removed_at_any_depth() -> None:
    data = {"__comments__": [1], "r": [{"x": {"__inline_comments__": [2], "y": [{"__comments__": 3}]}}]}
    assert strip_comment_keys(data) == {"r": [{"x": {"y": [{}]}}]}


def test_python_hcl2_is_called_in_one_place() -> None:
    """One wrapper (issue #17): no other module of the package imports python-hcl2."""
    from pathlib import Path

    import mwgen

    package = Path(mwgen.__file__).parent
    callers = sorted(str(p.relative_to(package)) for p in package.rglob("*.py")
                     if "import hcl2" in p.read_text(encoding="utf-8"))
    assert callers == ["hcl/api.py"]


# -- large files are formatted one run of top-level blocks at a time -----------------
SNIPPETS = [
    'resource "aws_s3_bucket" "a" {\n  bucket = "x"\n  force_destroy=true\n  tags = {\n    a = 1\n    long_name = 2\n  }\n}\n',
    '\n\n# a comment between blocks\nvariable "v" {\n  type    = string\n  default = "d"\n}\n',
    'locals {\n  doc = <<EOT\nline\n}\nresource "x" "y" {\nEOT\n  n = 1\n}\n',  # "}" at column 0 in a heredoc
    '/* a block comment\n}\nstill comment */\noutput "o" {\n  value = "${var.v}"\n}\n',
    'data "aws_iam_policy_document" "p" {\n  statement {\n    actions = ["s3:*"]\n    effect="Allow"\n  }\n}  \n',
    'module "m" {\n  source = "./m"\n\n  a   = 1\n  bbb = 2\n}\n',
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(SNIPPETS), min_size=1, max_size=12), st.integers(1, 400))
def test_formatting_in_parts_is_formatting_the_whole(parts: list[str], size: int) -> None:
    text = "".join(parts)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(api, "PART_SIZE", size)
        in_parts = api.format_in_parts(text)
    whole, _ = format_checked(text)
    assert in_parts is None or in_parts == whole
    if not any(tricky in parts for tricky in SNIPPETS[2:4]):  # block ends are real ends
        assert in_parts == whole


def test_parts_are_checked_and_a_refused_part_gives_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api, "PART_SIZE", 1)
    seen: list[int] = []
    text = SNIPPETS[0] + SNIPPETS[1] + SNIPPETS[5]
    assert api.format_in_parts(text, lambda body: seen.append(len(body.blocks))) == \
        format_checked(text)[0]
    assert seen == [1, 1, 1]  # one top-level block per part

    def refuse(body: object) -> None:
        raise HCLParseError(message="no", line=1, column=1)

    assert api.format_in_parts(text, refuse) is None
    assert api.format_in_parts('locals {\n  a = "unterminated\n}\n' + text) is None
