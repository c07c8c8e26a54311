"""Issue 16: a render never holds the whole tree in memory, and still changes nothing on failure.

Each file is checked and staged to its temp file as soon as it is rendered; only its
path, sha256, template and scope are kept. Proved without measuring memory: a spy on
each job sees every earlier file already staged on disk and no longer referenced. A
render that fails after files were staged (a template error in a later job, a foreign
file late in the plan, an interrupt) removes every temp file and folder it made:
``output/`` is byte-identical, and a first render leaves no output folder.
"""

from __future__ import annotations

import gc
import os
import weakref
from pathlib import Path
from typing import Any

import pytest

from mwgen import load_project
from mwgen.build import render_to_disk
from mwgen.errors import TemplateError
from mwgen.render.engine import RenderedFile, Renderer
from tests.helpers import FIXTURES, copy_project, mwgen, tree_hashes
from tests.output.test_failed_write import CHANGE, snapshot


def temp_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*mwgen-tmp*"))


class _Tracked(RenderedFile):
    """A rendered file a weak reference can watch (RenderedFile has slots)."""


def fail_at(monkeypatch: pytest.MonkeyPatch, output: str, error: BaseException,
            seen: list[Path] | None = None, watch: Path | None = None) -> None:
    """Make the job that renders ``output`` raise ``error``; before it does, note the
    temp files then in ``watch`` (in ``seen``)."""
    real = Renderer.render_job

    def failing(self: Renderer, job: Any) -> Any:
        if job.output == output:
            if seen is not None and watch is not None:
                seen.extend(watch / rel for rel in temp_files(watch))
            raise error
        return real(self, job)

    monkeypatch.setattr(Renderer, "render_job", failing)


def test_each_file_is_staged_on_disk_before_the_next_job_renders(
        mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = tmp_path / "fresh"
    real = Renderer.render_job
    made: list[weakref.ref[Any]] = []
    staged: list[int] = []
    marked: list[bool] = []
    alive: list[int] = []

    def spy(self: Renderer, job: Any) -> Any:
        temps = temp_files(fresh) if fresh.exists() else []
        marked.append(any(t.startswith(".mwgen-staging.") for t in temps))
        staged.append(len([t for t in temps if not t.startswith(".mwgen-staging.")]))
        gc.collect()
        alive.append(sum(ref() is not None for ref in made))
        got = real(self, job)
        tracked = _Tracked(got.path, got.content, got.template, got.scope)
        made.append(weakref.ref(tracked))
        return tracked

    monkeypatch.setattr(Renderer, "render_job", spy)
    report = render_to_disk(load_project(mini), output_dir=fresh)
    assert len(report.written) == len(made) == 10
    # Before job i renders, the i files before it are temp files on disk (the renames
    # come after the last job) ...
    assert staged == list(range(10))
    assert marked == [False] + [True] * 9  # the staging marker, from the first file on
    # ... and at most the file just before it is still referenced: none is kept.
    assert max(alive) <= 1, alive
    assert not temp_files(fresh) and len(tree_hashes(fresh)) == 11


def test_a_template_error_after_staging_leaves_output_identical(
        mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(mini)
    out = mini / "output"
    seen: list[Path] = []
    # The last job: the files and folders of the new service "extra" were staged.
    fail_at(monkeypatch, "prod/r2/svc/extra/deployment.yaml",
            TemplateError(file="templates/x.j2", message="boom"), seen, out)
    result = mwgen("--project", str(mini), "render", *CHANGE)
    assert result.exit_code == 1 and result.stderr == "templates/x.j2: boom (prod/r2)\n"
    assert out / ".mwgen-manifest.json" not in seen
    assert any("/extra/" in str(path) for path in seen) and len(seen) >= 3
    assert snapshot(mini) == before  # every file and folder as before
    assert not temp_files(out) and not (out / "dev/r1/svc/extra").exists()


def test_an_interrupt_while_staging_leaves_output_identical(
        mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(mini)
    seen: list[Path] = []
    fail_at(monkeypatch, "prod/r2/svc/extra/deployment.yaml", KeyboardInterrupt(), seen,
            mini / "output")
    project = load_project(mini, overrides=[v for v in CHANGE if v != "--set"])
    with pytest.raises(KeyboardInterrupt):
        render_to_disk(project)
    assert seen and snapshot(mini) == before and not temp_files(mini / "output")


def test_a_foreign_file_late_in_the_plan_is_refused_after_staging_began(
        mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import mwgen.output as output

    out = mini / "output"
    for target in ("prod/r1", "prod/r2"):  # the new service's files come late in the plan
        path = out / target / "svc/extra/deployment.yaml"
        path.parent.mkdir(parents=True)
        path.write_text("hand-written\n")
    before = snapshot(mini)
    real, staged = output._stage, []

    def counting(*args: Any) -> Any:
        staged.append(args[0])
        return real(*args)

    monkeypatch.setattr(output, "_stage", counting)
    result = mwgen("--project", str(mini), "render", *CHANGE)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"output/{target}/svc/extra/deployment.yaml: exists and was not generated by mwgen: "
        "refusing to overwrite it (move it away, or change the template's path)"
        for target in ("prod/r1", "prod/r2")]  # every foreign file, not only the first
    assert out / "dev/r1/svc/extra/deployment.yaml" in staged  # staged, then undone
    assert out / "prod/r2/svc/web/deployment.yaml" not in staged  # none after the refusal
    assert snapshot(mini) == before and not temp_files(out)


@pytest.mark.parametrize("nested", [False, True], ids=["output", "nested-output"])
def test_a_first_render_that_fails_leaves_no_output_folder(
        tmp_path: Path, nested: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_project(FIXTURES / "mini", tmp_path / "project")
    out = root / "a" / "b" / "output" if nested else root / "output"
    fail_at(monkeypatch, "prod/r2/svc/web/deployment.yaml",
            TemplateError(file="templates/x.j2", message="boom"))
    with pytest.raises(TemplateError):
        render_to_disk(load_project(root), output_dir=out)
    assert not out.exists() and not (root / "a").exists()
    assert sorted(os.listdir(root)) == ["schemas", "templates", "values"]


def test_a_parallel_render_streams_the_same_tree(mini: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import mwgen.render.engine as engine

    monkeypatch.setattr(engine, "_CHUNK", 2)  # several runs of jobs, even on a small tree
    project = load_project(mini)
    serial = render_to_disk(project, output_dir=tmp_path / "j1")
    parallel = render_to_disk(project, output_dir=tmp_path / "j2", jobs=2)
    assert parallel.written == serial.written and len(serial.written) == 10
    assert tree_hashes(tmp_path / "j2") == tree_hashes(tmp_path / "j1")
    assert tree_hashes(tmp_path / "j1") == tree_hashes(mini / "output")


def test_a_parallel_render_failing_late_leaves_output_identical(
        mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """-j 2 with runs of two jobs: earlier runs were staged when the last one fails
    (the workers are forked after the patch, so they fail too)."""
    import mwgen.render.engine as engine
    from mwgen.render import parallel

    if not parallel.can_fork():
        pytest.skip("the failing job is patched in this process: workers must be forked")
    monkeypatch.setattr(engine, "_CHUNK", 2)
    before = snapshot(mini)
    fail_at(monkeypatch, "prod/r2/svc/extra/deployment.yaml",
            TemplateError(file="templates/x.j2", message="boom"))
    log = log_staging(monkeypatch, mini.parent / "staged.log")
    result = mwgen("--project", str(mini), "render", "-j", "2", *CHANGE)
    assert result.exit_code == 1 and result.stderr == "templates/x.j2: boom (prod/r2)\n"
    assert log.read_text() and snapshot(mini) == before and not temp_files(mini / "output")


def log_staging(monkeypatch: pytest.MonkeyPatch, log: Path) -> Path:
    """Append ``PID PATH`` to ``log`` for each file staged, in whichever process
    stages it (forked workers inherit the patch)."""
    import mwgen.output as output

    real = output._stage
    log.write_text("")

    def logged(path: Path, *args: Any) -> Any:
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()} {path}\n")
        return real(path, *args)

    monkeypatch.setattr(output, "_stage", logged)
    return log


def test_a_parallel_render_stages_in_its_workers(mini: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """-j 2: the worker that renders a file checks and stages it (creating files is
    much of a render's time); the render's process only records what each did."""
    import mwgen.render.engine as engine
    from mwgen.render import parallel

    if not parallel.can_fork():
        pytest.skip("spawned workers send the files back to be staged")
    monkeypatch.setattr(engine, "_CHUNK", 2)
    log = log_staging(monkeypatch, tmp_path / "staged.log")
    report = render_to_disk(load_project(mini), output_dir=tmp_path / "j2", jobs=2)
    from mwgen.output import MANIFEST

    stagers = {pid for pid, path in (line.split(" ", 1) for line in log.read_text().splitlines())
               if Path(path).name != MANIFEST}  # the manifest: the render's own process
    assert len(report.written) == 10 and stagers and str(os.getpid()) not in stagers
    assert tree_hashes(tmp_path / "j2") == tree_hashes(mini / "output")
    assert not temp_files(tmp_path / "j2")


def test_a_worker_killed_while_staging_leaves_output_identical(
        mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker SIGKILLed (the OOM killer, say) after staging files it never got to
    report: the render fails with one line, and removes those temp files and the
    folders made for them too (the marker lists them), as the next render would."""
    import signal

    import mwgen.render.engine as engine
    from mwgen.render import parallel

    if not parallel.can_fork():
        pytest.skip("the killing job is patched in this process: workers must be forked")
    monkeypatch.setattr(engine, "_CHUNK", 8)
    before = snapshot(mini)
    parent, real = os.getpid(), Renderer.render_job

    def killing(self: Renderer, job: Any) -> Any:
        if job.output == "prod/r2/svc/extra/deployment.yaml" and os.getpid() != parent:
            assert temp_files(mini / "output")  # earlier files of its run: staged
            os.kill(os.getpid(), signal.SIGKILL)
        return real(self, job)

    monkeypatch.setattr(Renderer, "render_job", killing)
    result = mwgen("--project", str(mini), "render", "-j", "2", *CHANGE)
    assert result.exit_code == 2 and result.stderr.startswith("mwgen: a -j worker process "), \
        result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert snapshot(mini) == before and not temp_files(mini / "output")


def test_a_render_with_unchanged_inputs_still_cleans_up_after_a_kill_while_staging(
        mini: Path) -> None:
    """A kill while staging leaves the manifest as it was, so the inputs look fresh;
    the staging marker at the root makes the next render run and remove every temp
    file, and the folders made for them, however deep."""
    out = mini / "output"
    assert mwgen("--project", str(mini), "render").exit_code == 0  # remembers the inputs
    before = snapshot(mini)
    token = "0123456789abcdef"
    (out / f"prod/r2/svc/web/.deployment.yaml.mwgen-tmp-{token}").write_text("half\n")
    (out / "dev/r1/svc/new").mkdir()
    (out / f"dev/r1/svc/new/.deployment.yaml.mwgen-tmp-{token}").write_text("new\n")
    (out / f".mwgen-staging.mwgen-tmp-{token}").write_bytes(b"")
    result = mwgen("--project", str(mini), "render")
    assert result.exit_code == 0 and result.stderr == ""
    assert snapshot(mini) == before and not temp_files(out)


def test_a_link_at_a_temp_name_does_not_make_every_render_run(mini: Path) -> None:
    """Only a regular temp file at the root means a stopped render: a planted link at
    such a name (never followed, never removed) must not defeat the no-op render."""
    from mwgen.output import stopped_render

    out = mini / "output"
    link = out / ".mwgen-staging.mwgen-tmp-0123456789abcdef"
    link.symlink_to(mini.parent / "outside" / "precious.txt")
    assert not stopped_render(out)
    link.unlink()
    link.write_bytes(b"")
    assert stopped_render(out)


def test_folders_a_killed_render_made_but_had_not_staged_into_are_removed(mini: Path) -> None:
    """A kill can land between making a folder and staging its first file: the folder
    holds no temp file to be found by. The marker lists each folder before it is made,
    so the next render removes the listed folders left empty, and only those: a
    user's empty folder stays, a listed folder the user has since filled stays, and a
    line pointing outside ``output/`` or through a link is ignored."""
    out = mini / "output"
    assert mwgen("--project", str(mini), "render").exit_code == 0
    outside = mini.parent / "outside-empty"
    outside.mkdir()
    (out / "dev/r1/svc/new/deeper").mkdir(parents=True)
    (out / "dev/r1/svc/filled").mkdir()
    (out / "dev/r1/svc/filled/mine.txt").write_text("the user's\n")
    (out / "dev/r1/svc/users-own-empty").mkdir()
    (out / "dev/r1/linked").symlink_to(outside.parent, target_is_directory=True)
    before = snapshot(mini)
    lines = ["dev/r1/svc/new", "dev/r1/svc/new/deeper", "dev/r1/svc/filled", "not/made",
             "../outside-empty", str(outside), "dev/r1/linked/outside-empty", "", "./x"]
    (out / ".mwgen-staging.mwgen-tmp-0123456789abcdef").write_text("\n".join(lines) + "\n")
    result = mwgen("--project", str(mini), "render")
    assert result.exit_code == 0 and result.stderr == ""
    assert not (out / "dev/r1/svc/new").exists()
    assert (out / "dev/r1/svc/filled/mine.txt").read_text() == "the user's\n"
    assert (out / "dev/r1/svc/users-own-empty").is_dir() and outside.is_dir()
    files, folders = snapshot(mini)
    assert files == before[0] and not temp_files(out)
    assert folders == [f for f in before[1] if not f.startswith("dev/r1/svc/new")]
