"""Terraform files: every ``.tf``/``.tfvars`` parses as Terraform parses it, has
Terraform's block shapes, and is ``terraform fmt`` clean.

Parsing and the fmt comparison use :mod:`mwgen.hcl` (Terraform's rules, no binary
needed); where terraform is installed, ``terraform fmt -check`` itself is the judge of
formatting. A generated file that fails either was edited by hand or its template is
wrong: the advice is to fix the template and re-render, never to run ``terraform fmt``
on it (the next render would undo that).
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


_FIX = "fix the template that generates it and run `mwgen render`; do not hand-format generated files"


def check(tree: OutputTree, objects: object = None) -> list[Problem]:
    files = tree.by_suffix(*HCL_SUFFIXES)
    problems: list[Problem] = []
    parsed: list[OutputFile] = []
    for f in files:
        found = parse_problems(tree, f)
        problems.extend(found)
        if not found:
            parsed.append(f)
    terraform = shutil.which("terraform")
    if terraform and parsed:
        problems.extend(fmt_problems(tree, parsed, terraform))
    else:
        problems.extend(p for f in parsed for p in builtin_fmt_problems(tree, f))
    return problems


def parse_problems(tree: OutputTree, f: OutputFile) -> list[Problem]:
    from mwgen.hcl import HCLParseError, check_hcl
    from mwgen.hcl.terraform import BlockShapeError, check_blocks

    try:
        body = check_hcl(f.text())
        check_blocks(body, tfvars=f.rel.endswith(".tfvars"))
    except HCLParseError as exc:
        kind = "Terraform refuses this block" if isinstance(exc, BlockShapeError) else "HCL parse error"
        return [tree.problem(f, f"{kind}: {exc.message} ({_FIX})", line=exc.line,
                             column=exc.column, rule=PARSE_RULE)]
    except (UnicodeDecodeError, OSError) as exc:
        return [tree.problem(f, f"HCL parse error: {exc}", rule=PARSE_RULE)]
    return []


def builtin_fmt_problems(tree: OutputTree, f: OutputFile) -> list[Problem]:
    """What ``terraform fmt`` would change, decided by mwgen's own copy of its rules."""
    from mwgen.hcl import terraform_fmt

    text = f.text()
    formatted = terraform_fmt(text)
    if formatted == text:
        return []
    old, new = text.split("\n"), formatted.split("\n")
    line = next((i + 1 for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
    return [tree.problem(f, f"terraform fmt would rewrite this file ({_FIX})", line=line, rule=FMT_RULE)]


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
    return [tree.problem(by_rel[rel], f"terraform fmt would rewrite this file ({_FIX})",
                         line=line_no, rule=FMT_RULE)
            for rel, line_no in sorted(first_change.items()) if rel in by_rel]


def _quiet_env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env.setdefault("TF_IN_AUTOMATION", "1")
    env["CHECKPOINT_DISABLE"] = "1"
    return env
