"""Which template line wrote a rendered line (mwgen.render.sourcemap): the best guess
behind "templates/x.tf.j2:5: output/...: rendered HCL is invalid"."""

from __future__ import annotations

from mwgen.render.sourcemap import template_line

SOURCE = '''terraform {
  required_version = ">= 1.5"
}
resource "aws_s3_bucket" "assets_{{ env }}" {
  bucket = "{{ name }}"
}
'''


def test_the_line_whose_literal_text_occurs_in_order() -> None:
    rendered = 'terraform {\n  required_version = ">= 1.5"\n}\nresource "aws_s3_bucket" "assets_"dev"" {\n'
    assert template_line(SOURCE, rendered, 4) == 4
    assert template_line(SOURCE, rendered, 2) == 2


def test_a_line_no_template_line_explains_is_0() -> None:
    assert template_line(SOURCE, "something else\n", 1) == 0
    assert template_line(SOURCE, "x\n", 5) == 0  # past the end


def test_a_tie_is_0_rather_than_a_wrong_line() -> None:
    source = "  name: {{ a }}\n  name: {{ b }}\n"
    assert template_line(source, "  name: x\n", 1) == 0


def test_too_little_literal_text_decides_nothing() -> None:
    assert template_line("{{ a }}\n}\n", "value\n", 1) == 0
