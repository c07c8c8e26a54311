"""``render --stdout`` as one YAML stream (mwgen.render.stream): sorted, each file its
own document, non-YAML files commented out so YAML tools see empty documents."""

from __future__ import annotations

import yaml

from mwgen.render.engine import RenderedFile
from mwgen.render.stream import stream


def rf(path: str, text: str) -> RenderedFile:
    return RenderedFile(path=path, content=text.encode("utf-8"), template=f"templates/{path}.j2",
                        scope="global")


def test_files_are_sorted_documents_with_their_source() -> None:
    out = stream([rf("b.yaml", "# header\n---\nb: 2\n---\nc: 3\n"), rf("a.yaml", "a: 1")])
    assert out == ("---\n# Source: a.yaml\na: 1\n"
                   "---\n# Source: b.yaml\n# header\nb: 2\n---\nc: 3\n")
    assert list(yaml.safe_load_all(out)) == [{"a": 1}, {"b": 2}, {"c": 3}]


def test_other_formats_are_comments_a_yaml_reader_skips() -> None:
    out = stream([rf("main.tf", 'a = "x"\n\nb = 1\n'), rf("d.json", '{"k": 1}\n')])
    assert out.startswith('---\n# Source: d.json (not YAML: shown as comments)\n# | {"k": 1}\n')
    assert out.endswith('---\n# Source: main.tf (not YAML: shown as comments)\n'
                        '# | a = "x"\n# |\n# | b = 1\n')
    assert list(yaml.safe_load_all(out)) == [None, None]
