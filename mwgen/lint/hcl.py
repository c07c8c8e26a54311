"""Terraform files: every ``.tf``/``.tfvars`` parses as HCL2 and is ``terraform fmt`` clean.

Parsing uses python-hcl2 (lark underneath: a parse error carries ``line`` and
``column``). ``terraform fmt`` runs only where terraform is installed; its ``-diff``
output gives the first line that would change, so the finding points somewhere useful.
"""

from __future__ import annotations

import re
import shutil
import subprocess

from mwgen.errors import Problem
from mwgen.lint.tree import HCL_SUFFIXES, OutputFile, OutputTree

PARSE_RULE = "hcl"
FMT_RULE = "terraform-fmt"
_HUNK = re.compile(r"^@@ -(\d+)")


def check(tree: OutputTree, objects: object = None) -> list[Problem]:
    files = tree.by_suffix(*HCL_SUFFIXES)
    problems = [p for f in files for p in parse_problems(tree, f)]
    terraform = shutil.which("terraform")
    if terraform and files:
        problems.extend(fmt_problems(tree, files, terraform))
    return problems


def parse_problems(tree: OutputTree, f: OutputFile) -> list[Problem]:
    import hcl2
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        hcl2.loads(f.text())
    except UnexpectedInput as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        first = re.sub(r" at line \d+, column \d+\.?$", "", first)
        return [tree.problem(f, f"HCL parse error: {first}", line=exc.line, column=exc.column,
                             rule=PARSE_RULE)]
    except (LarkError, ValueError, UnicodeDecodeError, OSError) as exc:
        return [tree.problem(f, f"HCL parse error: {str(exc).splitlines()[0] if str(exc) else exc!r}",
                             rule=PARSE_RULE)]
    return []


def fmt_problems(tree: OutputTree, files: list[OutputFile], terraform: str) -> list[Problem]:
    """One finding per file ``terraform fmt -check -diff`` would rewrite, at its first change.

    terraform prints paths relative to its working directory, so it runs in the project
    root and is given project-relative paths.
    """
    by_rel = {f.rel: f for f in files}
    try:
        proc = subprocess.run([terraform, "fmt", "-check", "-list=true", "-diff", "-no-color",
                               *by_rel], capture_output=True, text=True, timeout=120,
                              check=False, cwd=tree.root, env=_quiet_env())
    except (OSError, subprocess.TimeoutExpired):
        return []  # terraform is an optional extra check; its absence is not a finding
    first_change: dict[str, int] = {}
    current = ""
    old_line = 0
    for line in proc.stdout.splitlines():
        if line in by_rel:
            current = line
            first_change.setdefault(current, 0)
        elif line.startswith("--- old/"):
            current = line[len("--- old/"):].strip()
        elif (m := _HUNK.match(line)) is not None:
            old_line = int(m.group(1))
        elif current in by_rel and not first_change.get(current) and line[:1] in " -+":
            if line.startswith(("-", "+")) and not line.startswith(("---", "+++")):
                first_change[current] = old_line
            elif line.startswith(" "):
                old_line += 1
    return [tree.problem(by_rel[rel], "not terraform fmt clean (run terraform fmt)",
                         line=line_no, rule=FMT_RULE)
            for rel, line_no in sorted(first_change.items()) if rel in by_rel]


def _quiet_env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env.setdefault("TF_IN_AUTOMATION", "1")
    env["CHECKPOINT_DISABLE"] = "1"
    return env
