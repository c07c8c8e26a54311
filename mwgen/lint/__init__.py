"""``mwgen lint``: check the rendered ``output/`` tree.

Kubernetes objects go through kubeconform when it is installed, otherwise through the
built-in validator on the same offline schemas; then HCL, Grafana dashboards and the
rules (:mod:`mwgen.lint.rules`: mwgen's own, the project's extension file and rule
packs, selected and graded by ``lint.rules`` in ``mwgen.yaml``). Every finding is a :class:`~mwgen.errors.Problem`; only what stops the run
(a bad option, a kubeconform that crashes) is raised. The public entry point is
:func:`lint_output`, which ``mwgen lint`` and ``mwgen render --lint`` both call::

    result = lint_output(Path("."), targets=["production/*"])
    for p in result.problems: print(p.format())
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from mwgen.errors import Problem, UsageError

if TYPE_CHECKING:  # imported lazily at run time: `mwgen --help` stays cheap
    from mwgen.lint.builtin import BuiltinValidator
    from mwgen.lint.kubeconform import Kubeconform
    from mwgen.lint.tree import KubeObject, OutputTree
    from mwgen.schemastore import SchemaStore

__all__ = ["lint_output", "LintResult", "VALIDATORS"]

VALIDATORS = ("auto", "kubeconform", "builtin")


class Checker(Protocol):
    """What every check meets: look at the tree, return findings."""

    def __call__(self, tree: OutputTree, objects: list[KubeObject]) -> list[Problem]: ...


@dataclass
class LintResult:
    """Findings plus the counts the summary line shows."""

    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    documents: int = 0
    dashboards: int = 0
    validator: str = ""
    kubernetes_version: str = ""
    #: "group/version Kind" (or "grafana dashboard") -> where its schema came from
    schema_sources: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity != "warning")

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity == "warning")

    @property
    def ok(self) -> bool:
        """No error; warnings are reported but pass (see :meth:`passes`)."""
        return not self.errors

    def passes(self, strict: bool = False) -> bool:
        """Whether lint exits 0: no errors, and no warnings either when ``strict``."""
        return self.ok and not (strict and self.warnings)

    def failed(self, *, strict: bool = False) -> bool:
        """Whether lint should exit 1: any error, or under ``--strict`` any finding."""
        return not self.passes(strict)

    def summary(self) -> str:
        n = len(self.problems)
        split = f": {self.errors} error{'s' if self.errors != 1 else ''}, " \
                f"{self.warnings} warning{'s' if self.warnings != 1 else ''}" if self.warnings else ""
        return (f"lint: {self.files} files, {self.documents} Kubernetes documents, "
                f"{self.dashboards} dashboards, {n} finding{'s' if n != 1 else ''}{split} "
                f"(validator: {self.validator}, Kubernetes {self.kubernetes_version}"
                f"{self._sources_text()})")

    def _sources_text(self) -> str:
        counts: dict[str, int] = {}
        for src in self.schema_sources.values():
            counts[src["source"]] = counts.get(src["source"], 0) + 1
        if not counts:
            return ""
        return "; schemas: " + ", ".join(f"{counts[k]} {k}" for k in sorted(counts))

    def to_json(self) -> dict[str, object]:
        return {"files": self.files, "documents": self.documents, "dashboards": self.dashboards,
                "findings": len(self.problems), "errors": self.errors, "warnings": self.warnings,
                "validator": self.validator, "kubernetes_version": self.kubernetes_version,
                "schemas": dict(sorted(self.schema_sources.items()))}


def lint_output(root: Path, *, targets: Sequence[str] | None = None,
                kubernetes_version: str | None = None, validator: str = "auto",
                kubeconform: str | None = None, skip_kinds: Iterable[str] = (),
                timeout: float = 300.0, output_dir: Path | None = None) -> LintResult:
    """Run every check on the project's output folder (or ``output_dir``, a render of
    the project into another folder, linted as if it were the output folder) and
    return the findings.

    ``targets`` are ``ENV/REGION`` globs (``production/*``); without them the whole tree
    is checked. Raises :class:`~mwgen.errors.UsageError` for a bad option or a
    kubeconform that was asked for but is missing, and ``KubeconformFailed`` when it
    crashes.
    """
    from functools import partial

    from mwgen.config import load_config
    from mwgen.errors import merge_problems
    from mwgen.lint import grafana, hcl, rules
    from mwgen.lint.rules import engine
    from mwgen.lint.tree import OutputTree
    from mwgen.schemastore import store_for

    if validator not in VALIDATORS:
        raise UsageError(f"--validator must be one of {', '.join(VALIDATORS)}, not {validator!r}")
    root = Path(root)
    config = load_config(root)
    project_rules = rules.project_rules(root, config)
    engine.select(project_rules, config)  # configuration errors before any work
    version = kubernetes_version or project_kubernetes_version(root)
    store = store_for(root)
    tree = OutputTree.scan(root, targets, output_dir=output_dir)
    objects = tree.kube_objects()
    k8s = _kubernetes_checker(store, version, validator, kubeconform, tuple(skip_kinds), timeout)

    checks: dict[str, Checker] = {
        "syntax": syntax_problems,
        "kubernetes": k8s.check,
        "hcl": hcl.check,
        "grafana": partial(grafana.check, store=store),
        "rules": lambda t, o: engine.run(t, o, config, project_rules),
    }
    problems: list[Problem] = []
    for check in checks.values():
        problems.extend(check(tree, objects))
    problems = [engine.graded(p, config) for p in problems]
    problems = [p for p in problems if p.severity != "off"]
    dashboards = grafana.dashboards(tree)
    sources = {f"{'/'.join(filter(None, key[:2]))} {key[2]}": found.describe()
               for key, found in k8s.schemas.used.items()}
    if dashboards and (found := store.dashboard()) is not None:
        sources["grafana dashboard"] = found.describe()
    return LintResult(problems=merge_problems(problems), files=len(tree.files),
                      documents=len(objects), dashboards=len(dashboards),
                      validator=k8s.name, kubernetes_version=version, schema_sources=sources)


def syntax_problems(tree: OutputTree, objects: list[KubeObject]) -> list[Problem]:
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

    The version is the scalar as written (its node's text), so ``1.30`` stays "1.30"
    instead of the float 1.3.
    """
    import yaml

    from mwgen.config import load_config
    from mwgen.lint.k8s_schemas import DEFAULT_KUBERNETES_VERSION
    from mwgen.lint.yamldocs import find_node
    from mwgen.yamlio import YAMLInputError, compose_all, decode

    configured = load_config(root).kubernetes_version
    if configured:
        return configured
    display = "values/defaults.yaml"
    try:
        docs = compose_all(decode((root / display).read_bytes(), display), display)
    except (OSError, YAMLInputError):
        return DEFAULT_KUBERNETES_VERSION
    data = docs[0][0] if docs else None
    k8s = data.get("kubernetes") if isinstance(data, dict) else None
    if not isinstance(k8s, dict) or "version" not in k8s:
        return DEFAULT_KUBERNETES_VERSION
    root_node = docs[0][1]
    node = find_node(root_node, ("kubernetes", "version")) if root_node is not None else None
    if isinstance(node, yaml.ScalarNode) and node.value and isinstance(k8s["version"],
                                                                       (str, int, float)):
        return str(node.value)
    return DEFAULT_KUBERNETES_VERSION


def _kubernetes_checker(store: SchemaStore, version: str, validator: str,
                        kubeconform: str | None, skip_kinds: tuple[str, ...],
                        timeout: float) -> BuiltinValidator | Kubeconform:
    from mwgen.lint.builtin import BuiltinValidator, Schemas
    from mwgen.lint.kubeconform import Kubeconform, find_kubeconform

    schemas = Schemas(kubernetes_version=version, store=store)
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
