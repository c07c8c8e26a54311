"""``mwgen lint``: check the rendered ``output/`` tree.

Kubernetes objects go through kubeconform when it is installed, otherwise through the
built-in validator on the same offline schemas; then HCL, Grafana dashboards and the
policy rules. Every finding is a :class:`~mwgen.errors.Problem`; only what stops the run
(a bad option, a kubeconform that crashes) is raised. The public entry point is
:func:`lint_output`, which ``mwgen lint`` and ``mwgen render --lint`` both call::

    result = lint_output(Path("."), targets=["production/*"])
    for p in result.problems: print(p.format())
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Protocol, Sequence

from mwgen.errors import Problem, UsageError

if TYPE_CHECKING:  # imported lazily at run time: `mwgen --help` stays cheap
    from mwgen.lint.builtin import BuiltinValidator
    from mwgen.lint.kubeconform import Kubeconform
    from mwgen.lint.tree import KubeObject, OutputTree

__all__ = ["lint_output", "LintResult", "VALIDATORS"]

VALIDATORS = ("auto", "kubeconform", "builtin")


class Checker(Protocol):
    """What every check meets: look at the tree, return findings."""

    def __call__(self, tree: "OutputTree", objects: "list[KubeObject]") -> list[Problem]: ...


@dataclass
class LintResult:
    """Findings plus the counts the summary line shows."""

    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    documents: int = 0
    dashboards: int = 0
    validator: str = ""
    kubernetes_version: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        n = len(self.problems)
        return (f"lint: {self.files} files, {self.documents} Kubernetes documents, "
                f"{self.dashboards} dashboards, {n} finding{'s' if n != 1 else ''} "
                f"(validator: {self.validator}, Kubernetes {self.kubernetes_version})")

    def to_json(self) -> dict[str, object]:
        return {"files": self.files, "documents": self.documents, "dashboards": self.dashboards,
                "findings": len(self.problems), "validator": self.validator,
                "kubernetes_version": self.kubernetes_version}


def lint_output(root: Path, *, targets: Sequence[str] | None = None,
                kubernetes_version: str | None = None, validator: str = "auto",
                kubeconform: str | None = None, skip_kinds: Iterable[str] = (),
                timeout: float = 300.0) -> LintResult:
    """Run every check on ``root/output`` and return the findings.

    ``targets`` are ``ENV/REGION`` globs (``production/*``); without them the whole tree
    is checked. Raises :class:`~mwgen.errors.UsageError` for a bad option or a
    kubeconform that was asked for but is missing, and ``KubeconformFailed`` when it
    crashes.
    """
    from mwgen.errors import merge_problems
    from mwgen.lint import grafana, hcl, policy
    from mwgen.lint.tree import OutputTree

    if validator not in VALIDATORS:
        raise UsageError(f"--validator must be one of {', '.join(VALIDATORS)}, not {validator!r}")
    root = Path(root)
    version = kubernetes_version or project_kubernetes_version(root)
    tree = OutputTree.scan(root, targets)
    objects = tree.kube_objects()
    k8s = _kubernetes_checker(root, version, validator, kubeconform, tuple(skip_kinds), timeout)

    checks: dict[str, Checker] = {
        "syntax": syntax_problems,
        "kubernetes": k8s.check,
        "hcl": hcl.check,
        "grafana": grafana.check,
        "policy": policy.check,
    }
    problems: list[Problem] = []
    for check in checks.values():
        problems.extend(check(tree, objects))
    return LintResult(problems=merge_problems(problems), files=len(tree.files),
                      documents=len(objects), dashboards=len(grafana.dashboards(tree)),
                      validator=k8s.name, kubernetes_version=version)


def syntax_problems(tree: "OutputTree", objects: "list[KubeObject]") -> list[Problem]:
    """YAML and JSON files that do not parse, and duplicate keys."""
    out = []
    for f in tree.by_suffix(".yaml", ".yml", ".json"):
        rule = "json" if f.rel.endswith(".json") else "yaml"
        for line, col, msg in f.load().errors:
            out.append(tree.problem(f, msg, line=line, column=col, rule=rule))
    return out


def project_kubernetes_version(root: Path) -> str:
    """``kubernetes_version`` from mwgen.yaml, else ``kubernetes.version`` from
    values/defaults.yaml, else 1.30.

    Read with the base loader so ``1.30`` stays a string instead of the float 1.3.
    """
    import yaml

    from mwgen.config import load_config
    from mwgen.lint.k8s_schemas import DEFAULT_KUBERNETES_VERSION

    configured = load_config(root).kubernetes_version
    if configured:
        return configured
    try:
        text = (root / "values" / "defaults.yaml").read_text(encoding="utf-8")
        data = yaml.load(text, Loader=yaml.BaseLoader)  # noqa: S506 - BaseLoader builds only str/list/dict
        version = data["kubernetes"]["version"]
    except (OSError, yaml.YAMLError, KeyError, TypeError):
        return DEFAULT_KUBERNETES_VERSION
    return str(version) if isinstance(version, str) and version else DEFAULT_KUBERNETES_VERSION


def _kubernetes_checker(root: Path, version: str, validator: str, kubeconform: str | None,
                        skip_kinds: tuple[str, ...], timeout: float) -> "BuiltinValidator | Kubeconform":
    from mwgen.lint import k8s_schemas
    from mwgen.lint.builtin import BuiltinValidator, Schemas
    from mwgen.lint.kubeconform import Kubeconform, find_kubeconform

    schemas = Schemas(kubernetes_version=version, crds=k8s_schemas.crd_dir(root))
    binary = None
    if validator != "builtin":
        binary = find_kubeconform(kubeconform)
        if binary is None and validator == "kubeconform":
            raise UsageError("--validator kubeconform: kubeconform not found (install it, "
                             "or pass --kubeconform PATH or set MWGEN_KUBECONFORM)")
    if binary is not None:
        return Kubeconform(binary, schemas, kubernetes_version=version, skip_kinds=skip_kinds,
                           timeout=timeout)
    return BuiltinValidator(schemas, skip_kinds=skip_kinds)
