"""The rule package: its registry of built-in rules, and the project's rules added after them."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

import mwgen.lint.rules as package
from mwgen.config import load_config
from mwgen.errors import InputError
from mwgen.lint.rules import MODULES, builtin_rules, project_rules
from mwgen.lint.rules import base as base_module
from tests.lint.rules.kit import project

#: rule ids are public: mwgen.yaml, waivers and CI filters name them, so they do not change
IDS = {
    "run_as_non_root": "pod.run-as-non-root", "drop_capabilities": "pod.drop-all-capabilities",
    "no_privilege_escalation": "pod.no-privilege-escalation", "read_only_root_fs": "pod.read-only-root-fs",
    "requests_limits": "pod.requests-and-limits", "probes": "pod.liveness-and-readiness",
    "image_pinned": "image.pinned", "secret_env": "pod.secrets-from-secret-refs", "hpa_range": "hpa.min-le-max",
    "canary_weights": "canary.weights", "waiver": "waiver.has-reason", "pdb_disruption": "pdb.allows-disruption",
    "service_selector": "service.selector", "service_ports": "service.ports", "hpa_target": "hpa.target",
    "pdb_selector": "pdb.selects-serving-pods", "canary_refs": "canary.refs",
    "canary_metric_template": "canary.metric-template", "istio_host": "istio.host", "istio_subset": "istio.subset",
    "istio_gateway": "istio.gateway", "pod_references": "pod.references", "scheduling": "pod.tolerates-node-group",
    "irsa": "irsa.role", "route53_policy": "route53.routing-policy", "route53_health": "route53.health-check-target",
    "argocd_path": "argocd.path", "argocd_project": "argocd.project", "argocd_retry": "argocd.retry",
    "gitops_replicas": "gitops.replicas", "gitops_flagger": "gitops.flagger-owned",
    "grafana_labels": "grafana.metric-labels",
}
EXT = ("from mwgen.lint.rules import Rule\n"
       "def check(ctx):\n    return []\n"
       "RULES = [Rule({id!r}, 'why', check)]\n")


def test_every_rule_module_is_registered_once() -> None:
    files = {p.stem for p in Path(package.__file__).parent.glob("*.py")} - {"__init__", "base", "engine"}
    assert sorted(MODULES) == sorted(files)
    assert len(set(MODULES)) == len(MODULES)


def test_builtin_rules_are_the_modules_rules_in_registry_order() -> None:
    rules = builtin_rules()
    assert [r.id for r in rules] == [IDS[m] for m in MODULES]
    for name, rule in zip(MODULES, rules):
        assert rule is importlib.import_module(f"mwgen.lint.rules.{name}").RULE


def test_ids_are_stable_and_each_module_says_which_rule_it_is() -> None:
    assert {m: importlib.import_module(f"mwgen.lint.rules.{m}").RULE.id for m in MODULES} == IDS
    for m in MODULES:
        doc = importlib.import_module(f"mwgen.lint.rules.{m}").__doc__ or ""
        assert doc.startswith(IDS[m] + ":"), m


def test_builtin_rules_are_well_formed() -> None:
    for rule in builtin_rules():
        assert rule.why and "\n" not in rule.why and rule.why == rule.why.strip(), rule.id
        assert rule.severity in ("error", "warning"), rule.id
        json.dumps(dict(rule.options))  # options are plain data, printable by --list-rules
        assert rule.waivable is (rule.id != "waiver.has-reason"), rule.id


def test_the_public_api_is_the_base_modules() -> None:
    assert (package.Rule, package.Finding, package.Context, package.SEVERITIES) == (
        base_module.Rule, base_module.Finding, base_module.Context, base_module.SEVERITIES)
    assert set(package.__all__) == {"Rule", "Finding", "Context", "SEVERITIES", "builtin_rules", "project_rules"}


def test_project_rules_are_builtins_then_the_extension_file_then_packs(tmp_path: Path) -> None:
    root = project(tmp_path, {"ext.py": EXT.format(id="acme.ext"), "lint_rules/team.py": EXT.format(id="team.a"),
                              "rules/other.py": EXT.format(id="other.b")},
                   config="extensions: ext.py\nlint: {packs: [team, rules/other.py]}\n")
    ids = [r.id for r in project_rules(root, load_config(root))]
    assert ids == [IDS[m] for m in MODULES] + ["acme.ext", "team.a", "other.b"]


def test_without_configuration_only_builtins(tmp_path: Path) -> None:
    root = project(tmp_path, {})
    assert [r.id for r in project_rules(root, load_config(root))] == [r.id for r in builtin_rules()]


@pytest.mark.parametrize("pack, rel", [("acme", "lint_rules/acme.py"), ("rules/none.py", "rules/none.py"),
                                       ("../outside.py", "../outside.py")])
def test_a_pack_that_is_not_in_the_project_is_a_located_error(tmp_path: Path, pack: str, rel: str) -> None:
    root = project(tmp_path, {"lint_rules/team.py": EXT.format(id="team.a")},
                   config=f"lint: {{packs: [team, {pack!r}]}}\n")
    (tmp_path / "outside.py").write_text(EXT.format(id="outside.x"))  # exists, but beside the project
    with pytest.raises(InputError) as err:
        project_rules(root, load_config(root))
    assert str(err.value) == f"mwgen.yaml: lint.packs[1]: no rule pack {rel} in the project"
