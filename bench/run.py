"""Every performance figure of the perf issue, side by side in one run.

    python bench/run.py [--runs 5] [--services 50,500]

Medians of N runs of whole commands (fresh processes, as pre-commit and CI run
them), ratios to their floors, peak memory (max RSS of the child). Nothing here
asserts: it prints a table for the README.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
MWGEN = [PY, "-m", "mwgen"]
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402


def timed(cmd: list[str], runs: int, *, before=None, cwd: Path = ROOT) -> tuple[float, float]:
    """Median seconds and max peak RSS (MiB) of ``cmd`` over ``runs`` runs."""
    times, peaks = [], []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:  # a failing command is not a measurement
            raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.decode()[-500:]}")
        peaks.append(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    return statistics.median(times), max(peaks)


def row(name: str, seconds: float, floor: float | None = None, goal: str = "",
        extra: str = "") -> None:
    ratio = f"{seconds / floor:5.2f}x" if floor else "      "
    print(f"| {name:<52} | {seconds:7.3f} s | {ratio} | {goal:<14} | {extra} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--services", default="50,500")
    args = parser.parse_args()
    runs = args.runs
    os.environ["MWGEN_CACHE_DIR"] = tempfile.mkdtemp(prefix="mwgen-bench-cache-")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {runs} runs each\n")
    print("| measure | median | ratio | goal | note |\n| --- | --- | --- | --- | --- |")

    bare_click, _ = timed([PY, "-c", "import click"], runs)
    help_, _ = timed(MWGEN + ["--help"], runs)
    row("mwgen --help vs python -c 'import click'", help_, bare_click, "<= 1.5x")

    bare, _ = timed([PY, "-c", "import jinja2, yaml, jsonschema, click"], runs)
    row("bare start-up (import jinja2, yaml, jsonschema, click)", bare)
    validate, _ = timed(MWGEN + ["validate", "values/regions/eu-west-1.yaml"], runs)
    row("mwgen validate values/regions/eu-west-1.yaml", validate, bare, "<= 1.3x")

    work = Path(tempfile.mkdtemp(prefix="mwgen-bench-"))
    bundled = work / "bundled"
    generate(bundled, 6)  # the bundled project as is (it has six services)
    subprocess.run(MWGEN + ["--project", str(bundled), "render"], check=True,
                   stdout=subprocess.DEVNULL)
    noop, _ = timed(MWGEN + ["--project", str(bundled), "render"], runs)
    row("no-op mwgen render (bundled)", noop, bare, "<= 1.3x")
    diff, _ = timed(MWGEN + ["--project", str(bundled), "diff"], runs)
    row("mwgen diff, unchanged tree (bundled), full comparison", diff, noop, "<= 1.5x no-op")
    quick, _ = timed(MWGEN + ["--project", str(bundled), "diff", "--quick"], runs)
    row("mwgen diff --quick, unchanged tree (the pre-commit hook)", quick, noop,
        "<= 1.5x no-op")

    def clear(path: Path):
        return lambda: shutil.rmtree(path, ignore_errors=True)

    sizes = [int(s) for s in args.services.split(",") if s]
    per_file: dict[int, float] = {}
    for n, project in [(6, bundled)] + [(n, generate(work / f"p{n}", n)) for n in sizes]:
        out = work / f"out{n}"
        floor_out = work / f"floor{n}"
        floor, _ = timed([PY, str(ROOT / "bench" / "floor.py"), str(project), str(floor_out)],
                         runs, before=clear(floor_out))
        files = sum(1 for p in floor_out.rglob("*") if p.is_file())
        full, peak = timed(MWGEN + ["--project", str(project), "render", "--output", str(out)],
                           runs, before=clear(out))
        row(f"full render, {n} services x 6 targets ({files} files), -j 1", full, floor,
            "<= 1.5x floor", f"floor {floor:.2f} s, peak {peak:.0f} MiB")
        per_file[n] = full / files
        if n == max(sizes + [6]):
            j2, _ = timed(MWGEN + ["--project", str(project), "render", "-j", "2", "--output",
                                   str(out)], runs, before=clear(out))
            row(f"full render, {n} services, -j 2 vs -j 1", j2, full, ">= 1.6x faster",
                f"speed-up {full / j2:.2f}x")
    if len(sizes) >= 2:
        small, large = min(sizes), max(sizes)
        print(f"\nper file: {per_file[small] * 1000:.2f} ms at {small} services, "
              f"{per_file[large] * 1000:.2f} ms at {large} "
              f"(ratio {per_file[large] / per_file[small]:.2f}, goal <= 1.2)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
