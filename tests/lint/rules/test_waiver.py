"""waiver.has-reason: the rule that bad waivers are reported under.

Its ``check`` finds nothing itself; the engine parses waivers and reports the bad ones
with this rule's id, severity and why. Waiving it is itself a bad waiver.
"""

from __future__ import annotations

from pathlib import Path

from mwgen.config import load_config
from mwgen.lint.rules import read_only_root_fs, waiver
from mwgen.lint.rules.engine import WAIVER_RULE, run
from mwgen.lint.tree import OutputTree
from tests.lint.rules.kit import K8S, check, container, project, workload

RULE = waiver.RULE


def unwritable(annotation: str) -> list[dict[str, object]]:
    wl = workload("web", containers=[container(securityContext={"readOnlyRootFilesystem": False})])
    wl["metadata"]["annotations"] = {"mwgen.io/waive": annotation}
    return [wl]


def lint(root: Path) -> list[tuple[str, str, str]]:
    tree = OutputTree.scan(root)
    problems = run(tree, tree.kube_objects(), load_config(root), [read_only_root_fs.RULE, RULE])
    return [(p.rule, p.severity, p.message) for p in problems]


def test_the_rule_is_the_engines_waiver_rule_and_cannot_be_waived() -> None:
    assert RULE.id == WAIVER_RULE
    assert RULE.waivable is False
    assert RULE.severity == "error" and RULE.options == {}


def test_check_itself_finds_nothing_even_with_bad_waivers(tmp_path: Path) -> None:
    assert check(RULE, project(tmp_path, {K8S: unwritable("pod.read-only-root-fs")})) == []


def test_bad_waivers_are_reported_under_this_rule_with_its_why(tmp_path: Path) -> None:
    found = lint(project(tmp_path, {K8S: unwritable("pod.read-only-root-fs; waiver.has-reason=hurry")}))
    assert [f for f in found if f[0] == WAIVER_RULE] == [
        (WAIVER_RULE, "error", "error: Deployment/web: waiver of pod.read-only-root-fs gives no reason "
                               f"(write pod.read-only-root-fs=why) (why: {RULE.why})"),
        (WAIVER_RULE, "error", f"error: Deployment/web: waiver.has-reason cannot be waived (why: {RULE.why})"),
    ]
    assert "pod.read-only-root-fs" in [f[0] for f in found]  # a bad waiver waives nothing


def test_graded_like_any_rule(tmp_path: Path) -> None:
    files = {K8S: unwritable("pod.read-only-root-fs"), "mwgen.yaml": "lint: {rules: {waiver.has-reason: warning}}\n"}
    assert {(r, s) for r, s, _m in lint(project(tmp_path, files))} == {
        (WAIVER_RULE, "warning"), ("pod.read-only-root-fs", "error")}
    files["mwgen.yaml"] = "lint: {rules: {waiver.has-reason: off}}\n"
    assert [r for r, _s, _m in lint(project(tmp_path, files))] == ["pod.read-only-root-fs"]
