"""mwgen's per-user cache (mwgen.cache): one root, chosen by the environment, and
writes a reader never sees half of."""

from __future__ import annotations

from pathlib import Path

import pytest

from mwgen import cache


def test_the_suite_never_uses_the_real_user_cache() -> None:
    """tests/conftest.py points XDG_CACHE_HOME at a session folder."""
    assert not cache.cache_base().is_relative_to(Path.home() / ".cache")


def test_root_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("MWGEN_CACHE_DIR", raising=False)
    assert cache.cache_base() == tmp_path / "xdg" / "mwgen"
    monkeypatch.setenv("MWGEN_CACHE_DIR", str(tmp_path / "own"))
    assert cache.cache_base() == tmp_path / "own"
    monkeypatch.delenv("MWGEN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_base() == tmp_path / "home" / ".cache" / "mwgen"


def test_known_good_remembers_a_digest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MWGEN_CACHE_DIR", str(tmp_path / "c"))
    assert not cache.known_good("schema-ok", "abc")
    cache.remember_good("schema-ok", "abc")
    assert cache.known_good("schema-ok", "abc")
    assert not cache.known_good("schema-ok", "abd")
    assert not cache.known_good("other-kind", "abc")


def test_an_unwritable_cache_only_costs_time(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("MWGEN_CACHE_DIR", str(blocker))
    assert cache.cache_dir("kind") is None
    cache.remember_good("kind", "abc")  # no error
    assert not cache.known_good("kind", "abc")


def test_write_atomic_replaces_whole_files_and_leaves_no_temporaries(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "file.json"
    cache.write_atomic(target, b"old")
    cache.write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in target.parent.iterdir()] == ["file.json"]


def test_write_atomic_cleans_up_when_the_write_fails(tmp_path: Path) -> None:
    target = tmp_path / "file.json"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        cache.write_atomic(target, "text, not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["file.json"]
