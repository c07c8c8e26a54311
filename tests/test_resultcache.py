"""Issue 16: canonical YAML remembered per distinct rendered text, safely.

A render whose templates produce a text seen before takes its canonical form from the
user cache instead of parsing and emitting it again. What must hold: the output is
byte-identical with and without the cache; a damaged, tampered or unreadable cache
costs time, never a wrong file or a failed render; a failure is never remembered;
a change of mwgen's emitter code misses every entry; the oldest entries go first.
"""

from __future__ import annotations

import builtins
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

import mwgen.render.formats as formats
from mwgen import resultcache
from mwgen.errors import EmitError
from mwgen.render.formats import canonicalise
from mwgen.render.yamlfmt import SELF_CHECK_ENV
from mwgen.schema import patterns
from tests.helpers import FIXTURES, copy_project, mwgen, render_into, tree_hashes

TEXT = "a: 1\nb: [x, 'z']\n"


def rows(cache: Path) -> list[tuple[bytes, bytes, int]]:
    with sqlite3.connect(cache / resultcache.FILENAME) as db:
        return db.execute("SELECT key, body, crc FROM results ORDER BY rowid").fetchall()


def no_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here, parsing rendered YAML fails the test: only the cache can answer."""
    def refuse(*args: Any) -> Any:
        raise AssertionError("rendered YAML was parsed")

    monkeypatch.setattr(formats, "load_all", refuse)


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    """Normal use: no per-file self-check (the suite turns it on)."""
    monkeypatch.delenv(SELF_CHECK_ENV, raising=False)


def test_a_text_seen_before_is_not_parsed_again(cold_cache: Path, fast: None,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    first = canonicalise("yaml", TEXT, "t.yaml.j2")
    resultcache.flush()
    assert len(rows(cold_cache)) == 1
    no_parse(monkeypatch)
    assert canonicalise("yaml", TEXT, "other.yaml.j2") == first.replace("t.yaml.j2",
                                                                          "other.yaml.j2")


def test_a_render_with_a_warm_cache_is_byte_identical(tmp_path: Path, cold_cache: Path,
                                                      fast: None,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_project(FIXTURES / "mini", tmp_path / "project")
    assert render_into(root, "cold").exit_code == 0
    bodies = {p.read_text().split("\n", 1)[1] for p in (root / "cold").rglob("*.yaml")}
    assert len(bodies) > 5 and len(rows(cold_cache)) >= len(bodies)
    no_parse(monkeypatch)
    result = render_into(root, "warm")
    assert result.exit_code == 0, result.stderr
    assert tree_hashes(root / "warm") == tree_hashes(root / "cold")


def test_workers_remember_what_they_render(tmp_path: Path, cold_cache: Path, fast: None,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_project(FIXTURES / "mini", tmp_path / "project")
    result = mwgen("--project", str(root), "render", "-j", "2", "--output", str(root / "j2"))
    assert result.exit_code == 0, result.stderr
    monkeypatch.setenv("MWGEN_CACHE_DIR", str(tmp_path / "serial-cache"))
    assert render_into(root, "serial").exit_code == 0
    assert sorted(rows(cold_cache)) == sorted(rows(tmp_path / "serial-cache"))


def test_a_damaged_entry_is_a_miss(cold_cache: Path, fast: None) -> None:
    first = canonicalise("yaml", TEXT, "t")
    resultcache.flush()
    key, body, crc = rows(cold_cache)[0]
    damaged = [resultcache.zlib.compress(b"a: 2\n"),  # a valid stream, wrong checksum
               body[:-3] + b"xyz"]  # not a zlib stream
    for bad in damaged:
        with sqlite3.connect(cold_cache / resultcache.FILENAME) as db:
            db.execute("UPDATE results SET body = ?", (bad,))
        resultcache._stores.clear()
        assert resultcache.store().get(key) is None
        assert canonicalise("yaml", TEXT, "t") == first


def test_a_tampered_entry_is_caught_by_the_self_check(cold_cache: Path) -> None:
    """With a matching checksum only the self-check (the test suite's mode) can tell:
    then the render stops with an internal error naming the cache file."""
    canonicalise("yaml", TEXT, "t")
    resultcache.flush()
    evil = b"a: 2\n"
    with sqlite3.connect(cold_cache / resultcache.FILENAME) as db:
        db.execute("UPDATE results SET body = ?, crc = ?",
                   (resultcache.zlib.compress(evil), resultcache.zlib.crc32(evil)))
    resultcache._stores.clear()
    with pytest.raises(EmitError, match=resultcache.FILENAME):
        canonicalise("yaml", TEXT, "t")


@pytest.mark.parametrize("garbage", [b"not a database at all" * 100, b""])
def test_a_corrupt_or_unusable_database_only_costs_time(tmp_path: Path, cold_cache: Path,
                                                        fast: None, garbage: bytes) -> None:
    root = copy_project(FIXTURES / "mini", tmp_path / "project")
    assert render_into(root, "reference").exit_code == 0
    resultcache._stores.clear()
    (cold_cache / resultcache.FILENAME).write_bytes(garbage)
    for name in ("-wal", "-shm"):
        (cold_cache / (resultcache.FILENAME + name)).unlink(missing_ok=True)
    result = render_into(root, "again")
    assert result.exit_code == 0 and result.stderr == ""
    assert tree_hashes(root / "again") == tree_hashes(root / "reference")


def test_an_unwritable_cache_only_costs_time(tmp_path: Path, fast: None,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("the cache folder cannot be made below a file\n")
    monkeypatch.setenv("MWGEN_CACHE_DIR", str(blocker / "cache"))
    store = resultcache.store()
    assert canonicalise("yaml", TEXT, "t").endswith("a: 1\nb:\n  - x\n  - z\n")
    resultcache.flush()
    assert store.off and store.get(resultcache.key_of("yaml", TEXT, formats._YAML_CODE)) is None


def test_a_failure_is_never_remembered(cold_cache: Path, fast: None) -> None:
    with pytest.raises(formats.OutputInvalid):
        canonicalise("yaml", "a: [1\n", "t")
    resultcache.flush()
    assert not (cold_cache / resultcache.FILENAME).exists() or rows(cold_cache) == []


def test_a_change_of_the_emitter_code_misses(cold_cache: Path, fast: None,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    before = resultcache.key_of("yaml", TEXT, formats._YAML_CODE)
    assert resultcache.key_of("yaml", TEXT + " ", formats._YAML_CODE) != before
    assert resultcache.key_of("json", TEXT, formats._YAML_CODE) != before
    monkeypatch.setattr(resultcache, "code_digest", lambda code: b"another version")
    assert resultcache.key_of("yaml", TEXT, formats._YAML_CODE) != before


def test_the_code_digest_covers_the_code_that_makes_each_result(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = Path(resultcache.__file__).resolve().parent
    for part in formats._YAML_CODE + formats._HCL_CODE + patterns._CODE:
        assert (root / part).is_dir() if part.endswith("/") else (root / part).is_file(), part
    package = tmp_path / "mwgen"
    (package / "hcl").mkdir(parents=True)
    (package / "hcl" / "parse.py").write_text("one\n")
    (package / "resultcache.py").write_text("")
    monkeypatch.setattr(resultcache, "__file__", str(package / "resultcache.py"))
    resultcache.code_digest.cache_clear()
    try:
        before = resultcache.code_digest(("hcl/",))
        (package / "hcl" / "parse.py").write_text("two\n")
        resultcache.code_digest.cache_clear()
        assert resultcache.code_digest(("hcl/",)) != before  # a folder's files count
    finally:
        resultcache.code_digest.cache_clear()


def test_the_oldest_entries_go_first(cold_cache: Path, fast: None,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resultcache, "MAX_ENTRIES", 3)
    store = resultcache.store()
    keys = [resultcache.key_of("yaml", f"n: {i}\n", ()) for i in range(5)]
    for i, key in enumerate(keys):
        store.put(key, f"n: {i}\n")
        store.flush()
    assert [row[0] for row in rows(cold_cache)] == keys[2:]
    assert store.get(keys[0]) is None and store.get(keys[4]) == "n: 4\n"


def test_a_forked_process_opens_its_own_connection(cold_cache: Path, fast: None,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    store = resultcache.store()
    store.put(b"k" * 32, "parent's\n")
    assert store.get(b"k" * 32) == "parent's\n"  # pending: not yet written
    parent = store._connection()
    monkeypatch.setattr(resultcache.os, "getpid", lambda: -1)  # as a fork's child sees it
    assert store._connection() is not parent and store.pending == {}
    assert store._forked_from is parent  # kept alive, never used or closed by the child


def test_without_sqlite3_renders_still_work(tmp_path: Path, cold_cache: Path, fast: None,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def blocked(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "sqlite3":
            raise ImportError("no sqlite3 in this Python")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", blocked)
    monkeypatch.delitem(sys.modules, "sqlite3")
    import importlib

    reloaded = importlib.reload(resultcache)
    try:
        assert reloaded.sqlite3 is None and reloaded.store().off
        monkeypatch.setattr(formats, "resultcache", reloaded)
        assert canonicalise("yaml", TEXT, "t").endswith("a: 1\nb:\n  - x\n  - z\n")
    finally:
        monkeypatch.undo()
        importlib.reload(resultcache)


def test_what_a_command_learned_is_written_when_it_exits(tmp_path: Path, cold_cache: Path
                                                        ) -> None:
    """``mwgen validate`` never reaches a render's flush: the answers it learned (schema
    patterns) are written when the process exits."""
    import os
    import subprocess

    root = copy_project(FIXTURES / "mini", tmp_path / "project")
    done = subprocess.run([sys.executable, "-m", "mwgen", "--project", str(root), "validate"],
                          capture_output=True, text=True, env={**os.environ})
    assert done.returncode == 0, done.stderr
    assert len(rows(cold_cache)) > 0
