"""mwgen.render.reach: which template files a template reaches (include, import,
from-import, extends, transitively); anything Jinja cannot name statically reaches
everything, and the answer is remembered in the user cache by content digest."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from mwgen.render import reach as reach_module
from mwgen.render.reach import EVERYTHING, reach

FILES: dict[str, str | bytes] = {
    "app.yaml.j2": '{% extends "_base/layout.j2" %}{% import "_lib/m.j2" as m %}',
    "_base/layout.j2": '{% include "_lib/./header.j2" %}{% block body %}{% endblock %}',
    "_lib/m.j2": '{% from "_lib/util.j2" import x %}{% macro y() %}{% endmacro %}',
    "_lib/util.j2": "{% macro x() %}{% endmacro %}",
    "_lib/header.j2": "# header",
    "alone.txt.j2": "{{ values.a }}",
    "dynamic.j2": "{% include values.partial %}",
    "via_dynamic.j2": '{% include "dynamic.j2" %}',
    "broken.j2": "{% if %}",
    "binary.j2": b"\xff\xfe",
    "missing.j2": '{% include "_lib/nope.j2" %}',
    "escape.j2": '{% include "../values/defaults.yaml" %}{% include "_lib//util.j2" %}',
    "cycle_a.j2": '{% include "cycle_b.j2" %}',
    "cycle_b.j2": '{% include "cycle_a.j2" %}',
}


@pytest.fixture(autouse=True)
def _own_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("MWGEN_CACHE_DIR", raising=False)
    return tmp_path / "xdg" / "mwgen" / "template-reach"


def data(name: str, files: dict[str, str | bytes] = FILES) -> bytes:
    content = files[name]
    return content if isinstance(content, bytes) else content.encode()


def run(roots: list[str], files: dict[str, str | bytes] = FILES,
        reads: list[str] | None = None) -> dict[str, list[str]]:
    def read(name: str) -> bytes:
        if reads is not None:
            reads.append(name)
        return data(name, files)

    return reach(list(files), roots, lambda n: hashlib.sha256(data(n, files)).digest(), read)


def test_references_are_followed_transitively_and_sorted() -> None:
    assert run(["app.yaml.j2", "alone.txt.j2"]) == {
        "app.yaml.j2": ["_base/layout.j2", "_lib/header.j2", "_lib/m.j2", "_lib/util.j2",
                        "app.yaml.j2"],
        "alone.txt.j2": ["alone.txt.j2"]}


@pytest.mark.parametrize("root", ["dynamic.j2", "via_dynamic.j2", "broken.j2", "binary.j2"])
def test_what_cannot_be_named_statically_reaches_everything(root: str) -> None:
    assert run([root]) == {root: [EVERYTHING]}


def test_a_missing_file_is_an_input_that_reaches_nothing_further() -> None:
    assert run(["missing.j2"]) == {"missing.j2": ["_lib/nope.j2", "missing.j2"]}


def test_names_are_normalised_and_parent_references_dropped() -> None:
    assert run(["escape.j2"]) == {"escape.j2": ["_lib/util.j2", "escape.j2"]}


def test_a_cycle_terminates() -> None:
    assert run(["cycle_a.j2"]) == {"cycle_a.j2": ["cycle_a.j2", "cycle_b.j2"]}


def test_the_answer_is_remembered_and_read_without_reading_templates(_own_cache: Path) -> None:
    first_reads: list[str] = []
    first = run(["app.yaml.j2"], reads=first_reads)
    assert sorted(first_reads) == sorted(FILES)
    assert len(list(_own_cache.iterdir())) == 1
    again: list[str] = []
    assert run(["app.yaml.j2"], reads=again) == first and again == []


def test_a_changed_template_or_root_set_misses_the_cache() -> None:
    run(["app.yaml.j2"])
    changed = {**FILES, "_lib/util.j2": '{% include "_lib/header.j2" %}'}
    reads: list[str] = []
    run(["app.yaml.j2"], changed, reads)
    assert reads != []
    reads.clear()
    assert run(["alone.txt.j2"], reads=reads) == {"alone.txt.j2": ["alone.txt.j2"]}
    assert reads != []


def test_a_damaged_cache_entry_is_recomputed(_own_cache: Path) -> None:
    expected = run(["app.yaml.j2"])
    (entry,) = _own_cache.iterdir()
    for junk in ("not json", "[1, 2]"):
        entry.write_text(junk)
        assert run(["app.yaml.j2"]) == expected


def test_without_a_writable_cache_the_answer_is_computed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reach_module, "cache_dir", lambda *parts: None)
    reads: list[str] = []
    assert run(["alone.txt.j2"], reads=reads) == {"alone.txt.j2": ["alone.txt.j2"]}
    assert reads != []
