"""Rule, Finding and Context: the contract every rule, built-in or the project's, is written to."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from mwgen.config import load_config
from mwgen.lint.rules.base import SEVERITIES, Context, Finding, Rule
from mwgen.lint.tree import OutputTree
from tests.lint.rules.kit import APPS, K8S, obj, project, workload


def nothing(ctx: Context) -> list[Finding]:
    return []


def test_severities() -> None:
    assert SEVERITIES == ("error", "warning", "off")


def test_a_rule_has_defaults_and_is_immutable() -> None:
    rule = Rule("acme.x", "why", nothing)
    assert (rule.severity, rule.waivable, dict(rule.options)) == ("error", True, {})
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule.severity = "warning"  # type: ignore[misc]
    assert Rule("acme.y", "why", nothing, severity="warning").severity == "warning"


@pytest.mark.parametrize("severity", ["off", "fatal", "", "Error"])
def test_a_rule_refuses_a_severity_it_cannot_default_to(severity: str) -> None:
    with pytest.raises(ValueError, match=r"rule acme\.x: severity must be error or warning"):
        Rule("acme.x", "why", nothing, severity=severity)


@pytest.mark.parametrize("rule_id", ["", "acme x", "acme.x=y", "a;b", "tab\there", "new\nline"])
def test_a_rule_refuses_an_id_a_waiver_could_not_name(rule_id: str) -> None:
    with pytest.raises(ValueError, match="no spaces, '=' or ';'"):
        Rule(rule_id, "why", nothing)


def test_ids_with_dots_dashes_and_slashes_are_fine() -> None:
    assert Rule("acme/pod.no-host_path-2", "why", nothing).id == "acme/pod.no-host_path-2"


def test_a_finding_is_a_value() -> None:
    f = Finding("broken")
    assert (f.obj, f.path, f.file, f.line, f.column) == (None, (), None, 0, 0)
    assert f == Finding("broken") and hash(f) == hash(Finding("broken"))
    assert Finding("broken", path=("spec",)) != f


def context(tmp_path: Path, config: str | None = None) -> Context:
    root = project(tmp_path, {K8S: [workload("web")], APPS: [obj("Application", "a", {"source": {"path": "."}})]},
                   config=config)
    tree = OutputTree.scan(root)
    return Context(tree, tree.kube_objects(), load_config(root))


def test_for_rule_changes_options_and_shares_the_views(tmp_path: Path) -> None:
    base = context(tmp_path)
    assert base.shared == {}  # nothing is built before a rule asks
    one, two = base.for_rule({"x": 1}), base.for_rule({"x": 2})
    assert (one.options, two.options, base.options) == ({"x": 1}, {"x": 2}, {})
    assert one.tree is base.tree and one.objects is base.objects and one.config is base.config
    targets = one.targets()
    assert two.targets() is targets and base.targets() is targets
    assert [t.target for t in targets] == ["production/us-east-1"]
    assert two.argocd() is one.argocd() and [a.name for a in one.argocd().apps] == ["a"]
    assert two.terraform() is one.terraform() and one.terraform().instances == []
    assert set(base.shared) == {"targets", "argocd", "terraform"}


def test_is_external_reads_the_project_configuration(tmp_path: Path) -> None:
    ctx = context(tmp_path, config="lint: {external: {Secret: [argocd/argocd-secret, shared-tls]}}\n")
    assert ctx.is_external("Secret", "argocd-secret", "argocd")
    assert not ctx.is_external("Secret", "argocd-secret", "shop")
    assert not ctx.is_external("Secret", "argocd-secret")
    assert ctx.is_external("Secret", "shared-tls", "anywhere") and ctx.is_external("Secret", "shared-tls")
    assert not ctx.is_external("ConfigMap", "shared-tls")
