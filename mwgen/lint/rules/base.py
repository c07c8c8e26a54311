"""What a lint rule is, what it finds, and what it is given to look at.

A rule is data plus one function, like a yamllint rule module::

    RULE = Rule(id="pod.run-as-non-root", why="a container escape as root owns the node",
                check=check, severity="error", options={"dev_environments": []})

    def check(ctx: Context) -> Iterator[Finding]:
        for obj in ctx.objects: ...
            yield Finding("container 'app' may run as root", obj=obj, path=(...))

A project adds its own rules the same way: a ``RULES`` list in its extension file (or a
rule pack) holding :class:`Rule` values. ``check`` receives a :class:`Context`: the
rendered tree, its Kubernetes objects, the rule's options (defaults overlaid by
``lint.options`` in ``mwgen.yaml``), the project configuration, and shared views (per
target objects, the Terraform model, Argo CD ownership) built once per run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

if TYPE_CHECKING:
    from mwgen.config import ProjectConfig
    from mwgen.lint.tree import KubeObject, OutputFile, OutputTree

SEVERITIES = ("error", "warning", "off")


@dataclass(frozen=True)
class Finding:
    """One thing a rule found. ``obj`` locates it (and makes it waivable by annotation);
    without an object, ``file``/``line``/``column`` locate it."""

    message: str
    obj: "KubeObject | None" = None
    path: tuple[Any, ...] = ()
    file: "OutputFile | None" = None
    line: int = 0
    column: int = 0


@dataclass(frozen=True)
class Rule:
    """A lint rule: stable id, default severity, a one-line why, options with defaults."""

    id: str
    why: str
    check: Callable[["Context"], Iterable[Finding]]
    severity: str = "error"
    waivable: bool = True
    options: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES[:2]:
            raise ValueError(f"rule {self.id}: severity must be error or warning")
        if not self.id or "=" in self.id or ";" in self.id or any(c.isspace() for c in self.id):
            raise ValueError(f"rule id {self.id!r}: no spaces, '=' or ';'")


@dataclass
class Context:
    """What a rule's ``check`` sees. Shared views are computed on first use and reused
    by every rule of the run."""

    tree: "OutputTree"
    objects: "list[KubeObject]"
    config: "ProjectConfig"
    options: Mapping[str, Any] = field(default_factory=dict)
    shared: dict[str, Any] = field(default_factory=dict)

    def for_rule(self, options: Mapping[str, Any]) -> "Context":
        return Context(self.tree, self.objects, self.config, options, self.shared)

    def _view(self, key: str, build: Callable[[], Any]) -> Any:
        if key not in self.shared:
            self.shared[key] = build()
        return self.shared[key]

    def targets(self) -> "list[Any]":
        """One :class:`~mwgen.lint.relations.index.TargetIndex` per ENV/REGION."""
        from mwgen.lint.relations.index import build_targets

        return self._view("targets", lambda: build_targets(self.objects))

    def terraform(self) -> Any:
        """The evaluated Terraform of the tree (:class:`~mwgen.lint.relations.terraform.Model`)."""
        from mwgen.lint.relations.terraform import Model

        return self._view("terraform", lambda: Model.load(self.tree))

    def argocd(self) -> Any:
        """Argo CD applications and the output files each one syncs."""
        from mwgen.lint.relations.argocd import ArgoModel

        return self._view("argocd", lambda: ArgoModel.build(self.tree, self.objects))

    def is_external(self, kind: str, name: str, namespace: str | None = None) -> bool:
        return self.config.is_external(kind, name, namespace)
