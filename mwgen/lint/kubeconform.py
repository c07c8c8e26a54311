"""kubeconform, run as a subprocess on our offline schemas, its JSON turned into Problems.

Output format (looked up, not guessed): yannh/kubeconform ``pkg/output/json.go`` prints,
with ``-summary``::

    {"resources": [{"filename": ..., "kind": ..., "name": ..., "version": "apps/v1",
                    "status": "statusInvalid", "msg": "...",
                    "validationErrors": [{"path": "/spec/replicas", "msg": "..."}]}],
     "summary": {"valid": 1, "invalid": 1, "errors": 0, "skipped": 0}}

Statuses are ``statusValid|statusInvalid|statusError|statusSkipped`` (valid and skipped
resources are listed only with ``-verbose``). ``validationErrors`` appeared in v0.6.0
(PR #173, keys first spelled ``Path``/``Message``) and carries the *instance* path since
v0.6.1 (PR #177); releases before v0.5 used ``INVALID``/``ERROR``. All are accepted.
kubeconform exits 1 when anything is invalid, so the exit code alone means nothing: a
run without parseable JSON is what counts as a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from typing import Any, Iterable

from mwgen.errors import EXIT_USAGE, MwgenError, Problem, UsageError
from mwgen.lint import k8s_schemas as ks
from mwgen.lint.builtin import (RULE, Schemas, crd_strict_findings, missing_schema_problems,
                                 to_problems)
from mwgen.lint.schemaerrors import SchemaFinding
from mwgen.lint.tree import KubeObject, OutputTree

ENV_VAR = "MWGEN_KUBECONFORM"
BAD_STATUSES = {"statusInvalid", "statusError", "INVALID", "ERROR"}
_UNEXPECTED = re.compile(r"additionalProperties? '([^']+)' (?:not allowed|is not allowed)"
                         r"|Additional property (\S+) is not allowed")


class KubeconformFailed(MwgenError):
    """kubeconform crashed, timed out or printed something that is not its JSON (exit 2):
    the output could not be checked, which is not the same as the output being wrong."""

    exit_code = EXIT_USAGE

    def __init__(self, *, reason: str) -> None:
        super().__init__(f"mwgen lint: kubeconform failed: {reason}")


def find_kubeconform(explicit: str | None = None) -> str | None:
    """``--kubeconform PATH``, then ``$MWGEN_KUBECONFORM``, then ``kubeconform`` on PATH.

    A binary that was named explicitly but does not exist is a usage error, not a
    silent fall-back to the built-in validator.
    """
    for source, value in (("--kubeconform", explicit), (ENV_VAR, os.environ.get(ENV_VAR))):
        if value:
            found = shutil.which(value) if os.sep not in value else (
                value if os.path.isfile(value) and os.access(value, os.X_OK) else None)
            if found is None:
                raise UsageError(f"{source} {value}: no such executable")
            return found
    return shutil.which("kubeconform")


class Kubeconform:
    """Validates Kubernetes objects by running kubeconform on their files."""

    name = "kubeconform"

    def __init__(self, binary: str, schemas: Schemas, *, kubernetes_version: str,
                 skip_kinds: Iterable[str] = (), timeout: float = 300.0) -> None:
        self.binary = binary
        self.schemas = schemas
        self.version = kubernetes_version
        self.skip_kinds = sorted(set(skip_kinds))
        self.timeout = timeout

    def command(self, files: list[str], wanted: Iterable[tuple[str, str, str]],
                skip: Iterable[str] = ()) -> list[str]:
        """The kubeconform call: core schemas (standalone copies), then every CRD schema
        root in the store's search order."""
        cmd = [self.binary, "-output", "json", "-strict", "-summary",
               "-kubernetes-version", ks.kubeconform_version(self.version)]
        if self.schemas.core is not None:
            core_root = ks.standalone_dir(self.version, wanted)
            cmd += ["-schema-location", f"{core_root}/{ks.CORE_TEMPLATE}"]
        for location in self.schemas.store.kubeconform_locations():
            cmd += ["-schema-location", location]
        skipped = sorted(set(self.skip_kinds) | set(skip))
        if skipped:
            cmd += ["-skip", ",".join(skipped)]
        return cmd + files

    def check(self, tree: OutputTree, objects: list[KubeObject]) -> list[Problem]:
        objects = [o for o in objects if o.kind not in self.skip_kinds]
        if not objects:
            return []
        # Kinds without any schema are not handed to kubeconform (it would call each one
        # an error); they get one warning per kind, as with the built-in validator.
        missing = [o for o in objects if not self._has_schema(o)]
        absent = {o.kind for o in missing}
        problems: list[Problem] = missing_schema_problems(tree, missing, self.schemas)
        objects = [o for o in objects if o.kind not in absent]
        if not objects:
            return problems
        by_file: dict[str, list[KubeObject]] = {}
        for obj in objects:
            by_file.setdefault(str(obj.file.path), []).append(obj)
        wanted = {ks.split_api_version(o.api_version) + (o.kind,) for o in objects}
        report = self._run(self.command(sorted(by_file), wanted, absent))
        for res in report.get("resources") or []:
            if isinstance(res, dict) and res.get("status") in BAD_STATUSES:
                problems.extend(self._resource_problems(tree, by_file, res))
        for obj in objects:  # what the catalog CRD schemas leave open, as the built-in does
            problems.extend(to_problems(tree, obj, crd_strict_findings(self.schemas, obj)))
        return problems

    def _has_schema(self, obj: KubeObject) -> bool:
        if not isinstance(obj.data.get("kind"), str) or not isinstance(obj.data.get("apiVersion"), str):
            return True  # kubeconform reports it
        group, version = ks.split_api_version(obj.api_version)
        return self.schemas.validator(group, version, obj.kind) is not None

    def _run(self, cmd: list[str]) -> dict[str, Any]:
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=self.timeout,
                                  check=False)
        except subprocess.TimeoutExpired:
            raise KubeconformFailed(reason=f"no answer after {self.timeout:g} s") from None
        except OSError as exc:
            raise KubeconformFailed(reason=f"cannot run {cmd[0]}: {exc.strerror or exc}") from None
        try:
            report = json.loads(proc.stdout)
        except ValueError:
            report = None
        if not isinstance(report, dict) or not isinstance(report.get("resources", []), list):
            detail = _first_line(proc.stderr) or _first_line(proc.stdout) or "no output"
            if proc.returncode:
                raise KubeconformFailed(reason=f"exit status {proc.returncode}: {detail}")
            raise KubeconformFailed(reason=f"output is not kubeconform JSON: {detail}")
        return report

    def _resource_problems(self, tree: OutputTree, by_file: dict[str, list[KubeObject]],
                           res: dict[str, Any]) -> list[Problem]:
        candidates = by_file.get(str(res.get("filename", ""))) or []
        obj = next((o for o in candidates if o.kind == res.get("kind")
                    and o.name == (res.get("name") or o.name)), None)
        msg = _first_line(str(res.get("msg") or res.get("status")))
        if obj is None:  # a resource we cannot place: still a finding, on the file
            file = next((f for f in tree.files if str(f.path) == res.get("filename")), None)
            if file is None:
                return [Problem(file=str(res.get("filename", "?")), message=msg, rule=RULE)]
            return [tree.problem(file, msg, rule=RULE)]
        found = [_finding(e) for e in res.get("validationErrors") or [] if isinstance(e, dict)]
        return to_problems(tree, obj, found or [SchemaFinding((), msg)])


def _finding(error: dict[str, Any]) -> SchemaFinding:
    pointer = str(error.get("path", error.get("Path", "")))
    message = _first_line(str(error.get("msg", error.get("Message", ""))))
    parts: tuple[Any, ...] = tuple(
        int(p) if p.isdigit() else p.replace("~1", "/").replace("~0", "~")
        for p in pointer.split("/") if p)
    m = _UNEXPECTED.search(message)
    return SchemaFinding(parts, message, key=(m.group(1) or m.group(2)) if m else None)


def _first_line(text: str) -> str:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return lines[0][:300] if lines else ""


__all__ = ["Kubeconform", "KubeconformFailed", "find_kubeconform", "ENV_VAR"]
