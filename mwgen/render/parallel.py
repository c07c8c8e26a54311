"""Worker processes for ``-j N``: a pool whose initializer gives each worker its state.

Nothing passes through the parent's module globals. Where ``fork`` is the platform's
safe default (Linux), workers inherit the parent's warmed state (compiled templates,
built contexts) through the initializer's arguments, which fork does not pickle. Where
it is not (macOS, Windows), workers start fresh and open the same project from a
picklable :class:`ProjectSpec`, paying the compile once per worker.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from mwgen.errors import WorkerLost

if TYPE_CHECKING:
    from mwgen.project import Project

T = TypeVar("T")

#: The state one worker process works with, set by :func:`_init` in that process only.
_state: dict[str, Any] = {}


@dataclass(frozen=True)
class ProjectSpec:
    """Enough to open the same project in another process."""

    root: Path
    overrides: tuple[str, ...]
    extra_files: tuple[Path, ...]

    @classmethod
    def of(cls, project: Project) -> ProjectSpec:
        return cls(project.root, tuple(project.overrides), tuple(project.extra_files))

    def open(self) -> Project:
        from mwgen.project import Project

        return Project(self.root, overrides=self.overrides, extra_files=self.extra_files)


def can_fork() -> bool:
    """Whether workers may be forked: fork exists and is the platform's safe choice
    (macOS offers it, but system libraries are not fork-safe there)."""
    return "fork" in multiprocessing.get_all_start_methods() and sys.platform.startswith("linux")


@contextmanager
def pool(jobs: int, spec: ProjectSpec, make: Callable[[Project], Any], warm: Any = None
         ) -> Iterator[ProcessPoolExecutor]:
    """``jobs`` workers, each holding ``make(project)`` (``warm`` itself when forked),
    shut down on leaving; a worker that ended abruptly is :class:`WorkerLost`."""
    forked = can_fork()
    if forked:  # fork does not pickle initargs: the warm state is inherited as is
        workers = ProcessPoolExecutor(max_workers=jobs,
                                      mp_context=multiprocessing.get_context("fork"),
                                      initializer=_init_forked, initargs=(warm, os.getpid()))
        gc.freeze()  # before the first task forks the workers: see _init_forked
    else:
        workers = ProcessPoolExecutor(max_workers=jobs,
                                      mp_context=multiprocessing.get_context("spawn"),
                                      initializer=_init, initargs=(spec, make))
    try:
        with workers:
            yield workers
    except BrokenProcessPool:
        raise WorkerLost("mwgen: a -j worker process ended abruptly (killed, or out of "
                         "memory?): nothing was written; run again, or with -j 1") from None
    finally:
        if forked:
            gc.unfreeze()  # a long-lived caller's garbage is collectable again


def in_order(workers: Executor, fn: Callable[[Any], T], tasks: Sequence[Any], *,
             ahead: int) -> Iterator[T]:
    """``fn(task)`` for each task, run by ``workers``, yielded in task order as each
    comes back, with at most ``ahead`` tasks in flight: the caller uses a result while
    the workers run the next ones, and results never pile up in memory (``map``
    submits every task at once, and an early exit would wait for all of them)."""
    flight: deque[Future[T]] = deque()
    rest = iter(tasks)
    for task in islice(rest, max(1, ahead)):
        flight.append(workers.submit(fn, task))
    while flight:
        result = flight.popleft().result()
        for task in islice(rest, 1):
            flight.append(workers.submit(fn, task))
        yield result


def _init(spec: ProjectSpec, make: Callable[[Project], Any]) -> None:
    _state["worker"] = make(spec.open())


def _init_forked(warm: Any, parent: int) -> None:
    """A forked worker's state is what the parent built. The parent froze its heap
    before forking (``gc.freeze``): the collector here never walks those objects,
    which live as long as the worker does, instead of walking the whole inherited
    heap in each worker (and writing to every page of it, which copies the page)."""
    _die_with(parent)
    _state["worker"] = warm


#: prctl(2)'s option: the signal this process gets when the thread that forked it ends.
_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """End this forked worker when ``parent`` ends, however it ends (SIGKILL included).

    A forked worker holds what its parent held: the output folder's lock and the
    pipes of whoever ran mwgen. Orphaned, it would wait forever on a task queue whose
    writing end it holds itself, and every later render would be refused as
    concurrent. The pool forks its workers from the thread that calls ``render``,
    which lives as long as the pool does.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl")
    except (OSError, AttributeError):  # no prctl: look for the parent twice a second
        threading.Thread(target=_watch, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # it ended before prctl took effect
        os._exit(1)


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def call(method: str, *args: Any) -> Any:
    """In a worker: ``getattr(worker state, method)(*args)``."""
    return getattr(_state["worker"], method)(*args)
