"""Issue 12, item 4: a write that fails before the renames leaves output/ byte-identical.

Every new file is staged under a temp name as it is rendered; only when all are staged
is the intent recorded and are they renamed into place. A failure while staging (a
denied folder, a full disk) removes the temp files and the folders the render made, so
the tree, the manifest and the set of folders are exactly as before.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from tests.helpers import mwgen, tree_hashes

CHANGE = ("--set", "app.note=changed", "--set", "services.extra.image=example/extra",
          "--set", "services.extra.tag=v1", "--set", "services.extra.replicas=1",
          "--set", "services.extra.port=80")


def snapshot(root: Path) -> tuple[dict[str, str], list[str]]:
    out = root / "output"
    return tree_hashes(out), sorted(p.relative_to(out).as_posix()
                                    for p in out.rglob("*") if p.is_dir())


def fail_nth(monkeypatch: pytest.MonkeyPatch, name: str, n: int, err: OSError,
             only: str = "") -> list[str]:
    """Make the ``n``-th call of mwgen.output.``name`` (on a path containing ``only``)
    fail with ``err``."""
    import mwgen.output as output

    real = getattr(output, name)
    calls: list[str] = []

    def failing(*args):
        where = str(args[0]) if name == "_open_new" else ""
        if only and only not in where:
            return real(*args)
        calls.append(where)
        if len(calls) >= n:
            raise err
        return real(*args)

    monkeypatch.setattr(output, name, failing)
    return calls


def check_unchanged(root: Path, before, result) -> None:
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert snapshot(root) == before
    assert not list((root / "output").rglob("*mwgen-tmp*"))


def test_staging_fails_half_way(mini, monkeypatch):
    before = snapshot(mini)
    fail_nth(monkeypatch, "_open_new", 5, OSError(errno.EIO, "Input/output error"))
    result = mwgen("--project", str(mini), "render", *CHANGE)
    assert result.stderr.endswith(": cannot write: Input/output error\n")
    check_unchanged(mini, before, result)


def test_a_read_only_subfolder(mini, monkeypatch):
    """As root a chmod does not stop writes, so the denial is simulated per folder."""
    before = snapshot(mini)
    fail_nth(monkeypatch, "_open_new", 1, PermissionError(errno.EACCES, "Permission denied"),
             only="/output/prod/r2/")
    result = mwgen("--project", str(mini), "render", *CHANGE)
    assert result.stderr.startswith("output/prod/r2/")
    assert result.stderr.endswith(": cannot write: Permission denied\n")
    check_unchanged(mini, before, result)


def test_disk_full_while_staging(mini, monkeypatch):
    before = snapshot(mini)
    fail_nth(monkeypatch, "_write_all", 3, OSError(errno.ENOSPC, "No space left on device"))
    result = mwgen("--project", str(mini), "render", *CHANGE)
    assert result.stderr.endswith(": cannot write: disk full\n")
    check_unchanged(mini, before, result)


def test_a_folder_where_a_file_goes(mini):
    path = mini / "output/prod/r1/config.yaml"
    path.unlink()
    path.mkdir()
    before = snapshot(mini)
    result = mwgen("--project", str(mini), "render", *CHANGE)
    assert result.stderr == ("output/prod/r1/config.yaml: is a folder where mwgen writes a "
                             "file (move it away)\n")
    check_unchanged(mini, before, result)


def test_a_file_where_a_folder_goes(mini):
    folder = mini / "output/prod/r2/svc"
    for p in sorted(folder.rglob("*"), reverse=True):
        p.rmdir() if p.is_dir() else p.unlink()
    folder.rmdir()
    folder.write_text("in the way\n")
    before = snapshot(mini)
    result = mwgen("--project", str(mini), "render", *CHANGE)
    assert result.stderr == ("output/prod/r2/svc: is a file where mwgen needs a folder "
                             "(move it away)\n")
    check_unchanged(mini, before, result)


def test_a_failed_rename_is_completed_by_the_next_render(mini, monkeypatch):
    """What holds when a rename itself fails: the files renamed so far are new, the
    rest old, the manifest owns both versions; the next render finishes the job without
    a false "edited by hand" warning."""
    import os

    import mwgen.output as output

    real, calls = os.replace, []

    def flaky(src, dst):
        if not str(dst).startswith(str(mini / "output")):
            return real(src, dst)  # the user cache's writes are not output's
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(errno.EIO, "Input/output error")
        return real(src, dst)

    monkeypatch.setattr(output.os, "replace", flaky)
    result = mwgen("--project", str(mini), "render", *CHANGE)
    monkeypatch.undo()
    assert result.exit_code == 1
    assert "files were replaced, and the manifest records both versions" in result.stderr
    assert not list((mini / "output").rglob("*mwgen-tmp*"))
    assert mwgen("--project", str(mini), "diff", *CHANGE).exit_code == 1
    again = mwgen("--project", str(mini), "render", *CHANGE)
    assert again.exit_code == 0 and again.stderr == ""
    assert mwgen("--project", str(mini), "diff", *CHANGE).exit_code == 0


@pytest.mark.parametrize("what", ["disk-full", "folder-in-the-way"])
def test_a_parallel_render_reports_a_write_problem_as_a_serial_one_does(mini, monkeypatch,
                                                                         what):
    """-j 2: the workers stage, so a write that fails fails in a worker; the user sees
    the same line and exit code as without -j, and output/ is unchanged."""
    import mwgen.render.engine as engine
    from mwgen.render import parallel

    if not parallel.can_fork():
        pytest.skip("the failing write is patched in this process: workers must be forked")
    monkeypatch.setattr(engine, "_CHUNK", 2)
    if what == "disk-full":
        fail_nth(monkeypatch, "_write_all", 2, OSError(errno.ENOSPC, "No space left on device"))
    else:
        path = mini / "output/prod/r1/config.yaml"
        path.unlink()
        path.mkdir()
    before = snapshot(mini)
    result = mwgen("--project", str(mini), "render", "-j", "2", *CHANGE)
    if what == "disk-full":
        assert result.stderr.endswith(": cannot write: disk full\n"), result.stderr
    else:
        assert result.stderr == ("output/prod/r1/config.yaml: is a folder where mwgen writes "
                                 "a file (move it away)\n")
    check_unchanged(mini, before, result)


def test_a_link_planted_where_a_folder_is_being_made_is_not_written_through(
        mini, monkeypatch, tmp_path):
    """Another process makes a link at the very name of a folder the render is about
    to make (mkdir then says it exists, as when a sibling -j worker made it): the
    render checks what is there before staging into it, and writes nothing outside."""
    import os

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    real_mkdir = os.mkdir

    def racing_mkdir(path, *args, **kwargs):
        if str(path).endswith("/svc/extra") and not os.path.lexists(path):
            os.symlink(outside, path)  # just before this mkdir
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", racing_mkdir)
    result = mwgen("--project", str(mini), "render", *CHANGE)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("output/") and "that is not a folder appeared" in result.stderr, \
        result.stderr
    assert list(outside.iterdir()) == []
    assert not list((mini / "output").rglob("*mwgen-tmp*"))
