"""Time lint's rules (not the schema checks) on a project, cold and warm.

    python bench/generate.py /tmp/b500 --services 500 && mwgen --project /tmp/b500 render
    python bench/lint_rules.py /tmp/b500

Prints the seconds to read the tree, to run every rule the first time (Terraform parsed)
and again (parsed Terraform from the user cache), and the finding count.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from mwgen.config import load_config
from mwgen.lint.rules import project_rules
from mwgen.lint.rules.engine import run
from mwgen.lint.tree import OutputTree


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("project", type=Path)
    root = parser.parse_args().project
    config = load_config(root)
    rules = project_rules(root, config)
    for label in ("first", "again"):
        start = time.perf_counter()
        tree = OutputTree.scan(root)
        objects = tree.kube_objects()
        read = time.perf_counter()
        problems = run(tree, objects, config, rules)
        done = time.perf_counter()
        print(f"{label}: read {read - start:.2f} s ({len(tree.files)} files, {len(objects)} objects), "
              f"rules {done - read:.2f} s, {len(problems)} findings")


if __name__ == "__main__":
    main()
