"""-j N: workers get their state from a pool initializer; fork is used only where safe,
and the spawn path (macOS, Windows) renders the same bytes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mwgen.errors import ValidationFailed
from mwgen.project import load_project
from mwgen.render import parallel
from mwgen.render.engine import render
from tests.helpers import FIXTURES, copy_project


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    return copy_project(FIXTURES / "mini", tmp_path / "mini")


def contents(project_root: Path, jobs: int) -> dict[str, str]:
    result = render(load_project(project_root), jobs=jobs)
    return {path: f.content for path, f in result.files.items()}


@pytest.mark.parametrize("fork", [True, False], ids=["fork", "spawn"])
def test_parallel_render_is_byte_identical(mini: Path, fork: bool,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    serial = contents(mini, 1)
    monkeypatch.setattr(parallel, "can_fork", lambda: fork)
    assert contents(mini, 2) == serial


def test_spawned_workers_see_set_overrides_and_report_validation(mini: Path,
                                                                  monkeypatch: pytest.MonkeyPatch
                                                                  ) -> None:
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    project = load_project(mini, overrides=["services.web.replicas=-1"])
    with pytest.raises(ValidationFailed) as info:
        render(project, jobs=2)
    assert any("services.web.replicas" in line for line in info.value.lines())


def test_a_bug_while_warming_surfaces(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mwgen.render import engine

    def broken(self: object, job: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(engine.Renderer, "context", broken)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    with pytest.raises(ZeroDivisionError):
        render(load_project(mini), jobs=2)


def test_in_order_yields_in_task_order_with_few_tasks_in_flight() -> None:
    """Results come back in task order while later tasks run, and no more than
    ``ahead`` tasks are submitted beyond what the caller has taken (they would pile
    up in memory, the rendered bytes of a whole tree)."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    started: list[int] = []
    lock = threading.Lock()

    def work(n: int) -> int:
        with lock:
            started.append(n)
        time.sleep(0.001 * (n % 3))  # finish out of order
        return n * n

    taken = []
    with ThreadPoolExecutor(max_workers=3) as workers:
        for result in parallel.in_order(workers, work, range(20), ahead=4):
            with lock:
                assert len(started) <= len(taken) + 4
            taken.append(result)
    assert taken == [n * n for n in range(20)]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forked workers only")
@pytest.mark.parametrize("how", ["_die_with", "_watch"])
def test_a_forked_worker_whose_parent_is_gone_ends_at_once(how: str) -> None:
    """A worker that finds its parent gone (prctl's signal came too late, or the
    polling fallback where there is no prctl) ends instead of serving nobody."""
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        try:
            getattr(parallel, how)(os.getppid() + 1_000_000)  # not this child's parent
        finally:
            os._exit(0)  # reached only if it did not end the process
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 1


def test_workers_find_the_heap_frozen_and_the_render_unfreezes_it(
        mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Forked workers skip the inherited heap in their collections (``gc.freeze``
    before forking); a library caller's objects are collectable again afterwards."""
    import gc

    from mwgen.render import engine

    if not parallel.can_fork():
        pytest.skip("spawned workers inherit no heap")
    log, real = tmp_path / "frozen.log", engine.Renderer.render_job

    def logging(self: engine.Renderer, job: engine.Job) -> engine.RenderedFile:
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{gc.get_freeze_count()}\n")
        return real(self, job)

    monkeypatch.setattr(engine.Renderer, "render_job", logging)
    render(load_project(mini), jobs=2)
    counts = [int(n) for n in log.read_text().split()]
    assert counts and min(counts) > 1000 and gc.get_freeze_count() == 0
