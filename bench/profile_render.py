"""Where a full render spends its time: cProfile of one render into an empty folder.

    python bench/profile_render.py [--services 50] [--top 25]

Generates a project (``bench/generate.py``), renders it once untimed (to warm the user
cache as a developer's machine has it), then profiles ``mwgen render --output NEW`` in
this process and prints the share of each phase (cumulative time of the function that
owns it) and the top functions by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402

#: phase -> (module path fragment, function name) whose cumulative time is the phase
PHASES = {
    "validation (schema)": ("mwgen/render/engine.py", "_validate"),
    "Jinja render": ("jinja2/environment.py", "render"),
    "template compile": ("jinja2/environment.py", "compile"),
    "canonicalise (all formats)": ("mwgen/render/formats.py", "canonicalise"),
    "YAML parse back": ("mwgen/render/formats.py", "_yaml_parse"),
    "YAML emit": ("mwgen/render/yamlfmt.py", "dump_yaml"),
    "YAML load_all": ("mwgen/yamlio.py", "load_all"),
    "HCL (parse check and format)": ("mwgen/render/formats.py", "_hcl"),
    "JSON canonical": ("mwgen/render/formats.py", "_json"),
    "write tree": ("mwgen/output.py", "write_tree"),
    "values load + merge": ("mwgen/project.py", "values"),
    "context trees": ("mwgen/render/environment.py", "as_tree"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--services", type=int, default=50)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    from mwgen.cli import main as cli

    work = Path(tempfile.mkdtemp(prefix="mwgen-profile-"))
    project = generate(work / "project", args.services)

    def render(out: Path) -> None:
        try:
            cli(["--project", str(project), "render", "--output", str(out)],
                standalone_mode=False)
        except SystemExit as err:
            if err.code:
                raise

    render(work / "warm")
    profile = cProfile.Profile()
    profile.enable()
    render(work / "timed")
    profile.disable()
    stats = pstats.Stats(profile)
    total = max(v[3] for v in stats.stats.values())  # type: ignore[attr-defined]
    print(f"{args.services} services, {total:.2f} s profiled (cProfile slows pure Python)\n")
    print("| phase | cumulative s | share |\n| --- | --- | --- |")
    for phase, (where, name) in PHASES.items():
        cum = sum(v[3] for (file, _, func), v in stats.stats.items()  # type: ignore[attr-defined]
                  if func == name and where.replace("/", os.sep) in file)
        if cum:
            print(f"| {phase} | {cum:.2f} | {cum / total:.0%} |")
    print()
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
