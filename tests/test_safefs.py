"""mwgen.safefs: paths below output/ never lead anywhere else (escapes, symlinks, files in
the way), and reads never follow a link in the last component."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from mwgen.errors import OutputError
from mwgen.safefs import DIRECTORY, check_output_dir, path_problem, read_nofollow, safe_path


@pytest.mark.parametrize("rel", ["a.yaml", "k8s/prod/us-east-1/web.yaml", ".hidden", "a..b",
                                 "..a/b", "sub/.mwgen-manifest.json"])
def test_normalised_relative_paths_are_fine(rel: str) -> None:
    assert path_problem(rel) is None


@pytest.mark.parametrize("rel", ["", "/etc/passwd", "..", "../x", "a/../../x", "a//b", "./a",
                                 "a/./b", "a/", "a\0b", 7, None, ["a"]])
def test_escapes_and_non_strings_leave_the_output_folder(rel: object) -> None:
    assert path_problem(rel) == "path leaves the output folder"


def test_the_manifest_name_is_reserved() -> None:
    assert path_problem(".mwgen-manifest.json") == "names mwgen's own manifest"


def test_check_output_dir_accepts_a_folder_or_nothing(tmp_path: Path) -> None:
    check_output_dir(tmp_path / "absent")
    (tmp_path / "out").mkdir()
    check_output_dir(tmp_path / "out")


def test_check_output_dir_refuses_a_symlink_even_to_a_folder(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "out").symlink_to(tmp_path / "real")
    with pytest.raises(OutputError) as caught:
        check_output_dir(tmp_path / "out", "gen")
    assert caught.value.lines() == ["gen: is a symlink: mwgen never writes through links "
                                    "(make it a real folder)"]


def test_check_output_dir_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("x")
    with pytest.raises(OutputError, match="is not a folder"):
        check_output_dir(tmp_path / "out")


def test_safe_path_joins_below_the_folder(tmp_path: Path) -> None:
    assert safe_path(tmp_path, "a/b/c.yaml") == tmp_path / "a/b/c.yaml"  # missing folders: fine
    (tmp_path / "a").mkdir()
    assert safe_path(tmp_path, "a/c.yaml") == tmp_path / "a/c.yaml"


def test_safe_path_refuses_an_escape_with_the_display_name(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as caught:
        safe_path(tmp_path, "../values/defaults.yaml", "out")
    assert caught.value.lines() == ["out/../values/defaults.yaml: path leaves the output folder"]


def test_safe_path_refuses_a_symlinked_folder_on_the_way(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    out = tmp_path / "out"
    (out / "k8s").mkdir(parents=True)
    (out / "k8s" / "prod").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(OutputError) as caught:
        safe_path(out, "k8s/prod/web.yaml")
    assert caught.value.lines() == ["output/k8s/prod: is a symlink: mwgen never writes through "
                                    "links"]


def test_safe_path_refuses_a_file_where_a_folder_belongs(tmp_path: Path) -> None:
    (tmp_path / "k8s").write_text("x")
    with pytest.raises(OutputError, match=r"^output/k8s: is a file where mwgen needs a folder"):
        safe_path(tmp_path, "k8s/web.yaml")


def test_safe_path_leaves_the_last_component_to_the_caller(tmp_path: Path) -> None:
    (tmp_path / "target").write_text("x")
    (tmp_path / "web.yaml").symlink_to(tmp_path / "target")
    assert safe_path(tmp_path, "web.yaml") == tmp_path / "web.yaml"  # read_nofollow refuses it


def test_checked_folders_are_remembered_and_not_looked_at_again(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    checked: set[str] = set()
    safe_path(tmp_path, "a/b/c.yaml", checked=checked)
    assert checked == {f"{tmp_path}/a", f"{tmp_path}/a/b"}
    # what is remembered is trusted: the caller owns the set for one pass over the tree
    (tmp_path / "a" / "b").rmdir()
    (tmp_path / "a" / "b").symlink_to(tmp_path)
    assert safe_path(tmp_path, "a/b/c.yaml", checked=checked) == tmp_path / "a/b/c.yaml"
    with pytest.raises(OutputError, match="is a symlink"):
        safe_path(tmp_path, "a/b/c.yaml", checked=set())


def test_read_nofollow_reads_bytes_absent_and_folders(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"\x00\xffdata")
    (tmp_path / "d").mkdir()
    assert read_nofollow(tmp_path / "f") == b"\x00\xffdata"
    assert read_nofollow(tmp_path / "absent") is None
    assert read_nofollow(tmp_path / "f" / "below") is None  # a file where a folder would be
    assert read_nofollow(tmp_path / "d") == DIRECTORY


def test_read_nofollow_reads_a_file_larger_than_one_chunk(tmp_path: Path) -> None:
    data = os.urandom((1 << 20) + 17)
    (tmp_path / "big").write_bytes(data)
    assert read_nofollow(tmp_path / "big") == data


def test_read_nofollow_refuses_a_symlink_in_the_last_component(tmp_path: Path) -> None:
    (tmp_path / "secret").write_text("do not read")
    (tmp_path / "link").symlink_to(tmp_path / "secret")
    with pytest.raises(OSError) as caught:
        read_nofollow(tmp_path / "link")
    assert caught.value.errno == errno.ELOOP
