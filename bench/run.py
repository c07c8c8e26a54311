"""Every performance figure of the perf issue, with its goal, from one run.

    python bench/run.py [--runs 3] [--services 50,500,2000] [--yardstick 5,50,200]
                        [--kapitan PATH] [--shared PATH] [--only SECTIONS]

Each figure is the median of alternating runs (A B A B ...) of whole processes, each
timed run writing into a fresh, empty folder and nothing deleted inside the timed
region (deleting a large tree right before writing one costs seconds of system time
on this VM). CPU is user+sys of the process tree from ``os.wait4`` (stable on a shared
machine); wall is what a user waits. Ratios are judged on CPU, except ``-j 2`` (a
parallel speed-up only shows on the wall clock). Peak memory is the child's max RSS.

Workloads: ``bench/generate.py`` projects against the minimal floor (``bench/floor.py``),
and the yardstick in ``../shared/bench`` (mwgen against its plain-Jinja2 floor and
Kapitan 0.36.3) when that folder exists; Kapitan's column needs its executable
(``--kapitan`` or ``MWGEN_BENCH_KAPITAN``; default ``/tmp/kapitan-venv/bin/kapitan``).
The bench keeps its own user cache: the timed mwgen runs find it warm (an untimed
render comes first), as a developer's machine has it; the "cold user cache" rows run
mwgen with an empty cache of its own each time (a first render on a new machine or CI).
Nothing here asserts: it prints a table for the README.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
MWGEN = [PY, "-m", "mwgen"]
SECTIONS = ("precommit", "generated", "yardstick")
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float
    peak: float  # MiB


def run(cmd: list[str], cwd: Path | None = None) -> Sample:
    """One whole process: wall clock around spawn..reap, CPU and peak from its rusage."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0,):  # a failing command is not a measurement
        raise SystemExit(f"{' '.join(cmd)} exited {code}: {err.decode()[-800:]}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


Command = Callable[[int], tuple[list[str], Path | None]]


def alternate(commands: dict[str, Command], runs: int) -> dict[str, Sample]:
    """Median wall, median CPU and max peak of each command, runs interleaved."""
    samples: dict[str, list[Sample]] = {name: [] for name in commands}
    for i in range(runs):
        for name, make in commands.items():
            cmd, cwd = make(i)
            samples[name].append(run(cmd, cwd))
    return {name: Sample(statistics.median(s.wall for s in got),
                         statistics.median(s.cpu for s in got),
                         max(s.peak for s in got)) for name, got in samples.items()}


class Table:
    """The report: one row per figure, its goal and whether it is met."""

    def __init__(self) -> None:
        print("| figure | measured | reference | ratio | goal | met |")
        print("| --- | --- | --- | --- | --- | --- |")
        sys.stdout.flush()

    def ratio(self, name: str, a: Sample, b: Sample, goal: float | None, *, wall: bool = False,
              at_least: bool = False) -> None:
        """``a / b`` against an upper bound (a lower one with ``at_least``)."""
        value = a.wall / b.wall if wall else a.cpu / b.cpu
        kind = "wall" if wall else "cpu"
        if goal is None:
            self.line(name, _fmt(a), _fmt(b), f"{value:.2f}x {kind}", "", "")
            return
        met = value >= goal if at_least else value <= goal
        bound = ">=" if at_least else "<="
        self.line(name, _fmt(a), _fmt(b), f"{value:.2f}x {kind}", f"{bound} {goal:g}x",
                  "yes" if met else "**no**")

    def line(self, *cells: str) -> None:
        print("| " + " | ".join(cells) + " |")
        sys.stdout.flush()


def _fmt(s: Sample) -> str:
    return f"{s.cpu:.2f} s cpu, {s.wall:.2f} s wall"


def _count(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


def cold(work: Path, label: str) -> list[str]:
    """mwgen with an empty user cache of its own (a first render on a new machine)."""
    return ["env", f"MWGEN_CACHE_DIR={work / 'cold-cache' / label}"] + MWGEN


def fresh(work: Path, label: str) -> Callable[[int], Path]:
    """A new, not yet existing folder per run (created by the command itself)."""
    return lambda i: work / f"{label}-{i}"


def precommit(table: Table, work: Path, runs: int) -> None:
    bundled = generate(work / "bundled", 6)  # the bundled project as it is
    subprocess.run(MWGEN + ["--project", str(bundled), "render"], check=True,
                   stdout=subprocess.DEVNULL)
    project = ["--project", str(bundled)]
    got = alternate({
        "click": lambda i: ([PY, "-c", "import click"], None),
        "help": lambda i: (MWGEN + ["--help"], None),
        "bare": lambda i: ([PY, "-c", "import jinja2, yaml, jsonschema, click"], None),
        "validate": lambda i: (MWGEN + ["validate", "values/regions/eu-west-1.yaml"], bundled),
        "noop": lambda i: (MWGEN + project + ["render"], None),
        "quick": lambda i: (MWGEN + project + ["diff", "--quick"], None),
    }, runs)
    table.ratio("mwgen --help / `python -c 'import click'`", got["help"], got["click"], 1.5)
    table.ratio("mwgen validate values/regions/eu-west-1.yaml / bare `import jinja2, yaml, "
                "jsonschema, click`",
                got["validate"], got["bare"], 1.3)
    table.ratio("no-op mwgen render / bare import", got["noop"], got["bare"], 1.0)
    table.ratio("mwgen diff --quick (pre-commit) / bare import", got["quick"], got["bare"], 1.0)


def generated(table: Table, work: Path, runs: int, sizes: list[int]) -> None:
    peaks: dict[int, float] = {}
    for n in sizes:
        project = generate(work / f"gen{n}", n)
        proj = ["--project", str(project)]
        floor_out, mw_out = fresh(work, f"floor{n}"), fresh(work, f"mw{n}")
        commands: dict[str, Command] = {
            "floor": lambda i: ([PY, str(ROOT / "bench" / "floor.py"), str(project),
                                 str(floor_out(i))], None),
            "mwgen": lambda i: (MWGEN + proj + ["render", "--output", str(mw_out(i))], None),
        }
        if n <= 50:
            cold_out = fresh(work, f"mwc{n}")
            commands["cold"] = lambda i: (cold(work, f"gen{n}-{i}") + proj + [
                "render", "--output", str(cold_out(i))], None)
        if n <= 500:  # `mwgen diff` of an unchanged tree against a full render
            subprocess.run(MWGEN + proj + ["render"], check=True, stdout=subprocess.DEVNULL)
            commands["diff"] = lambda i: (MWGEN + proj + ["diff"], None)
        if n == 500:
            j2_out = fresh(work, f"mwj2-{n}")
            commands["j2"] = lambda i: (MWGEN + proj + ["render", "-j", "2", "--output",
                                                        str(j2_out(i))], None)
        got = alternate(commands, runs)
        files = _count(floor_out(0))
        table.ratio(f"generated {n} services ({files} files): full render / minimal floor",
                    got["mwgen"], got["floor"], 3.0)
        if "cold" in got:
            table.ratio(f"generated {n} services: full render with a cold user cache / "
                        "minimal floor", got["cold"], got["floor"], None)
        if "diff" in got:
            table.ratio(f"generated {n} services: `mwgen diff` unchanged tree / full render",
                        got["diff"], got["mwgen"], 1.5)
        if "j2" in got:
            table.ratio(f"generated {n} services: `-j 1` / `-j 2` (speed-up)",
                        got["mwgen"], got["j2"], 1.6, wall=True, at_least=True)
        peaks[n] = got["mwgen"].peak
        shutil.rmtree(work / f"gen{n}", ignore_errors=True)
        for i in range(runs):
            for folder in (floor_out(i), mw_out(i), work / f"mwj2-{n}-{i}", work / f"mwc{n}-{i}"):
                shutil.rmtree(folder, ignore_errors=True)
    if peaks:
        largest = max(peaks)
        cells = ", ".join(f"{peaks[n]:.0f} MiB at {n}" for n in sorted(peaks))
        table.line(f"peak memory of a full render at {largest} services", cells, "", "",
                   "<= 300 MiB, linear", "yes" if peaks[largest] <= 300 else "**no**")


def yardstick(table: Table, work: Path, runs: int, sizes: list[int], shared: Path,
              kapitan: Path | None) -> None:
    for n in sizes:
        dest = work / f"yard{n}"
        subprocess.run([PY, str(shared / "port_workload.py"), str(n), str(dest)], check=True,
                       stdout=subprocess.DEVNULL)
        yard, mw = dest / "yard", dest / "mw"
        _port_fixups(mw / "templates")
        commands: dict[str, Command] = {
            "floor": lambda i: ([PY, str(shared / "jinja_floor.py"), "--values", "values",
                                 "--out", str(dest / f"floor-{i}")], yard),
            "mwgen": lambda i: (MWGEN + ["--project", str(mw), "render", "--output",
                                         str(dest / f"mw-{i}")], None),
            "cold": lambda i: (cold(work, f"yard{n}-{i}") + ["--project", str(mw), "render",
                                                              "--output", str(dest / f"mwc-{i}")],
                               None),
        }
        # The timed "mwgen" runs find a warm user cache, as a developer's machine has it.
        subprocess.run(MWGEN + ["--project", str(mw), "render", "--output", str(dest / "warm")],
                       check=True, stdout=subprocess.DEVNULL)
        if kapitan is not None:
            commands["kapitan"] = lambda i: ([str(kapitan), "compile", "--output-path",
                                              str(dest / f"kap-{i}")], yard)
        got = alternate(commands, runs)
        files = _count(dest / "floor-0")
        table.ratio(f"yardstick N={n} ({files} files): mwgen / plain-Jinja2 floor",
                    got["mwgen"], got["floor"], 3.0)
        table.ratio(f"yardstick N={n}: mwgen with a cold user cache / plain-Jinja2 floor",
                    got["cold"], got["floor"], None)
        if "kapitan" in got:
            table.ratio(f"yardstick N={n}: Kapitan 0.36.3 / mwgen", got["kapitan"],
                        got["mwgen"], 5.0 if n >= 50 else None, at_least=True)
        shutil.rmtree(dest, ignore_errors=True)


def _port_fixups(templates: Path) -> None:
    """The port's dashboard calls Jinja's ``tojson`` (HTML-safe JSON), which mwgen
    refuses in favour of ``to_json``: same JSON for these values. Edits the temporary
    port only."""
    for path in templates.rglob("*.j2"):
        text = path.read_text(encoding="utf-8")
        if "| tojson" in text:
            path.write_text(text.replace("| tojson", "| to_json"), encoding="utf-8")


def _shared() -> Path:
    """``shared/bench`` beside the checkout (or beside the worktrees' folder)."""
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "bench").is_dir():
            return base / "shared" / "bench"
    return ROOT.parent / "shared" / "bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--services", default="50,500,2000")
    parser.add_argument("--yardstick", default="5,50,200")
    parser.add_argument("--shared", type=Path, default=_shared())
    parser.add_argument("--kapitan", type=Path,
                        default=Path(os.environ.get("MWGEN_BENCH_KAPITAN",
                                                    "/tmp/kapitan-venv/bin/kapitan")))
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated sections: {', '.join(SECTIONS)}")
    args = parser.parse_args()
    only = set(args.only.split(","))
    work = Path(tempfile.mkdtemp(prefix="mwgen-bench-"))
    os.environ["MWGEN_CACHE_DIR"] = str(work / "cache")  # no warm cache from earlier runs
    kapitan = args.kapitan if args.kapitan.is_file() else None
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}, {args.runs} alternating runs, medians\n")
    table = Table()
    try:
        if "precommit" in only:
            precommit(table, work, args.runs)
        if "generated" in only:
            generated(table, work, args.runs, [int(s) for s in args.services.split(",") if s])
        if "yardstick" in only:
            if not (args.shared / "port_workload.py").is_file():
                table.line("yardstick", f"skipped: no {args.shared}", "", "", "", "")
            else:
                if kapitan is None:
                    table.line("Kapitan", f"skipped: no {args.kapitan}", "", "", "", "")
                yardstick(table, work, args.runs,
                          [int(s) for s in args.yardstick.split(",") if s], args.shared, kapitan)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
