"""The rule engine: selection and grading from mwgen.yaml, options, waivers, Problems, order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mwgen.config import load_config
from mwgen.errors import InputError, Problem
from mwgen.lint.rules import builtin_rules
from mwgen.lint.rules.base import Context, Finding, Rule
from mwgen.lint.rules.engine import (
    CORE_CHECKS,
    WAIVE_ANNOTATION,
    graded,
    parse_waivers,
    run,
    select,
    to_problem,
)
from mwgen.lint.tree import OutputTree
from tests.lint.rules.kit import K8S, line_of, obj, project

DNS = "output/terraform/global/dns/main.tf"


def per_object(ctx: Context) -> Iterator[Finding]:
    """One finding per ConfigMap, at its data, saying the rule's ``word`` option."""
    for o in ctx.objects:
        if o.kind == "ConfigMap":
            yield Finding(f"{o.name} says {ctx.options['word']}", o, ("data", "k"))


def per_file(ctx: Context) -> Iterator[Finding]:
    for f in ctx.tree.by_suffix(".tf"):
        yield Finding("about the file", file=f, line=2, column=3, path=("resource",))


def explode(ctx: Context) -> Iterator[Finding]:
    raise AssertionError("an off rule must not run")


A = Rule("acme.a", "why a", per_object, options={"word": "a"})
B = Rule("acme.b", "why b", per_object, severity="warning", options={"word": "b"})
FILE = Rule("acme.file", "why file", per_file)
STRICT = Rule("acme.strict", "why strict", per_object, waivable=False, options={"word": "s"})


def cm(name: str, waive: str | None = None) -> dict[str, Any]:
    out = obj("ConfigMap", name, data={"k": "v"})
    if waive is not None:
        out["metadata"]["annotations"] = {WAIVE_ANNOTATION: waive}
    return out


def lint(root: Path, rules: list[Rule]) -> list[Problem]:
    tree = OutputTree.scan(root)
    return run(tree, tree.kube_objects(), load_config(root), rules)


def brief(problems: list[Problem]) -> list[tuple[str, str, str]]:
    return [(p.rule, p.severity, p.message.split(" (why")[0]) for p in problems]


# --- select -------------------------------------------------------------------------------

def test_select_keeps_the_given_order(tmp_path: Path) -> None:
    config = load_config(project(tmp_path, {}))
    assert list(select([B, FILE, A], config)) == ["acme.b", "acme.file", "acme.a"]


def test_two_rules_with_one_id_are_a_located_error(tmp_path: Path) -> None:
    config = load_config(project(tmp_path, {}))
    with pytest.raises(InputError) as err:
        select([A, Rule("acme.a", "again", per_object)], config)
    assert str(err.value) == "mwgen.yaml: lint: two rules have the id 'acme.a'"


def test_a_rules_entry_that_is_no_rule_is_a_located_error(tmp_path: Path) -> None:
    config = load_config(project(tmp_path, {}))
    with pytest.raises(InputError) as err:
        select([A, "acme.b"], config)  # type: ignore[list-item]
    assert str(err.value) == "mwgen.yaml: RULES: 'acme.b' is not a mwgen.lint.rules.Rule"


def test_an_unknown_rule_in_the_configuration_gets_a_hint(tmp_path: Path) -> None:
    config = load_config(project(tmp_path, {}, config="lint: {rules: {acme.aa: warning}}\n"))
    with pytest.raises(InputError) as err:
        select([A], config)
    assert str(err.value) == ("mwgen.yaml:1:16: lint.rules['acme.aa']: unknown rule 'acme.aa' "
                              "(did you mean 'acme.a'?)")  # the key's line and column
    config = load_config(project(tmp_path, {}, config="lint: {options: {zzz: {}}}\n"))
    with pytest.raises(InputError, match=r"^mwgen.yaml:1:18: lint.options.zzz: unknown rule 'zzz'$"):
        select([A], config)


def test_core_checks_may_be_graded_without_a_rule(tmp_path: Path) -> None:
    config = load_config(project(tmp_path, {}, config="lint: {rules: {k8s-schema: warning, hcl: off}}\n"))
    assert list(select([A], config)) == ["acme.a"]
    assert {"yaml", "json", "k8s-schema", "hcl", "terraform-fmt"} <= set(CORE_CHECKS)


def test_an_unknown_option_lists_the_known_ones(tmp_path: Path) -> None:
    config = load_config(project(tmp_path, {}, config="lint: {options: {acme.a: {wrd: x}}}\n"))
    with pytest.raises(InputError) as err:
        select([A], config)
    assert str(err.value) == ("mwgen.yaml:1:27: lint.options['acme.a'].wrd: acme.a has no option "
                              "'wrd' (options: word)")
    config = load_config(project(tmp_path, {}, config="lint: {options: {acme.file: {x: 1}}}\n"))
    with pytest.raises(InputError, match=r"acme.file has no option 'x' \(options: none\)"):
        select([FILE], config)


# --- run: severities, options, order --------------------------------------------------------

def test_each_rule_runs_with_its_severity_and_options(tmp_path: Path) -> None:
    root = project(tmp_path, {K8S: [cm("one")]})
    assert brief(lint(root, [A, B])) == [("acme.a", "error", "error: ConfigMap/one: one says a"),
                                         ("acme.b", "warning", "warning: ConfigMap/one: one says b")]


def test_the_configuration_grades_rules_and_sets_options(tmp_path: Path) -> None:
    config = "lint:\n  rules: {acme.a: warning, acme.b: error}\n  options: {acme.a: {word: hello}}\n"
    root = project(tmp_path, {K8S: [cm("one")]}, config=config)
    assert brief(lint(root, [A, B])) == [("acme.a", "warning", "warning: ConfigMap/one: one says hello"),
                                         ("acme.b", "error", "error: ConfigMap/one: one says b")]


def test_an_off_rule_is_not_run(tmp_path: Path) -> None:
    root = project(tmp_path, {K8S: [cm("one")]}, config="lint: {rules: {acme.explode: off}}\n")
    assert lint(root, [Rule("acme.explode", "why", explode)]) == []


def test_problems_come_in_rule_order_then_finding_order_and_repeat_exactly(tmp_path: Path) -> None:
    root = project(tmp_path, {K8S: [cm("b"), cm("a")], "output/k8s/production/us-east-1/z.yaml": [cm("c")]})
    first = lint(root, [B, A])
    assert [(p.rule, p.message.split(": ")[2].split(" says")[0]) for p in first] == [
        ("acme.b", "b"), ("acme.b", "a"), ("acme.b", "c"), ("acme.a", "b"), ("acme.a", "a"), ("acme.a", "c")]
    assert lint(root, [B, A]) == first


# --- Problems -----------------------------------------------------------------------------------

def test_an_object_finding_is_located_at_its_path(tmp_path: Path) -> None:
    root = project(tmp_path, {K8S: [cm("one")]})
    (problem,) = lint(root, [A])
    assert problem == Problem(file=K8S, line=line_of(root, K8S, "k: v"), column=6, path="data.k",
                              message="error: ConfigMap/one: one says a (why: why a)",
                              targets=("production/us-east-1",), rule="acme.a", severity="error")


def test_a_file_finding_keeps_its_line_and_column(tmp_path: Path) -> None:
    root = project(tmp_path, {DNS: 'resource "x" "y" {\n  a = 1\n}\n'})
    assert lint(root, [FILE]) == [Problem(file=DNS, line=2, column=3, path="resource", rule="acme.file",
                                          message="error: about the file (why: why file)")]


def test_to_problem_uses_the_severity_it_is_given(tmp_path: Path) -> None:
    root = project(tmp_path, {K8S: [cm("one")]})
    tree = OutputTree.scan(root)
    (o,) = tree.kube_objects()
    p = to_problem(tree, A, "warning", Finding("x", o))
    assert (p.severity, p.message, p.path, p.line) == ("warning", "warning: ConfigMap/one: x (why: why a)", "", 1)


def test_graded_applies_the_configured_severity_to_core_checks_only(tmp_path: Path) -> None:
    config = load_config(project(tmp_path, {}, config="lint: {rules: {k8s-schema: warning, yaml: off}}\n"))
    assert graded(Problem(file="f", rule="k8s-schema"), config).severity == "warning"
    assert graded(Problem(file="f", rule="yaml"), config).severity == "off"
    assert graded(Problem(file="f", rule="hcl"), config).severity == "error"
    assert graded(Problem(file="f", rule="acme.a", severity="warning"), config).severity == "warning"


# --- waivers ----------------------------------------------------------------------------------

def test_a_waiver_with_a_reason_silences_that_rule_on_that_object_only(tmp_path: Path) -> None:
    root = project(tmp_path, {K8S: [cm("one", "acme.a=legacy reader; acme.b = also legacy"), cm("two")]})
    assert brief(lint(root, [A, B])) == [("acme.a", "error", "error: ConfigMap/two: two says a"),
                                         ("acme.b", "warning", "warning: ConfigMap/two: two says b")]


def test_waivers_do_not_reach_file_findings(tmp_path: Path) -> None:
    root = project(tmp_path, {K8S: [cm("one", "acme.file=not here")], DNS: 'resource "x" "y" {}\n'})
    assert [p.rule for p in lint(root, [FILE])] == ["acme.file"]


@pytest.mark.parametrize("text, message", [
    ("acme.a", "waiver of acme.a gives no reason (write acme.a=why)"),
    ("acme.a=   ", "waiver of acme.a gives no reason (write acme.a=why)"),
    ("acme.zzz=because", "waiver for unknown rule 'acme.zzz'"),
    ("acme.strict=because", "acme.strict cannot be waived"),
])
def test_a_bad_waiver_is_a_finding_and_waives_nothing(tmp_path: Path, text: str, message: str) -> None:
    root = project(tmp_path, {K8S: [cm("one", text)]})
    problems = lint(root, [A, STRICT, *[r for r in builtin_rules() if r.id == "waiver.has-reason"]])
    assert [p.rule for p in problems] == ["acme.a", "acme.strict", "waiver.has-reason"]
    assert problems[-1].message.startswith(f"error: ConfigMap/one: {message} (why: ")
    assert problems[-1].path == "metadata.annotations['mwgen.io/waive']"


def test_parse_waivers(tmp_path: Path) -> None:
    root = project(tmp_path, {K8S: [cm("one", ";acme.a=r1;;acme.strict=r2;acme.b"), cm("two"),
                                    {**obj("ConfigMap", "odd"), "metadata": "x"}]})
    one, two, odd = OutputTree.scan(root).kube_objects()
    rules = {r.id: r for r in (A, B, STRICT)}
    valid, bad = parse_waivers(one, rules)
    assert valid == {"acme.a"}
    assert [f.message for f in bad] == ["acme.strict cannot be waived",
                                        "waiver of acme.b gives no reason (write acme.b=why)"]
    assert all(f.obj is one and f.path == ("metadata", "annotations", WAIVE_ANNOTATION) for f in bad)
    assert parse_waivers(two, rules) == (set(), []) == parse_waivers(odd, rules)


# --- a rule that raises -----------------------------------------------------------------------

BOOM = """from mwgen.lint.rules import Rule


def check(ctx):
    for o in ctx.objects:
        yield o.data["nope"]


RULES = [Rule("acme.boom", "why", check)]
"""


def test_a_project_rule_that_raises_is_an_error_located_in_its_file(tmp_path: Path) -> None:
    """The project's rule code failing is the project's bug: one located line, exit 1, not
    mwgen's "internal error"."""
    from mwgen.lint.rules import project_rules

    root = project(tmp_path, {K8S: [cm("one")], "lint_rules/acme.py": BOOM}, config="lint: {packs: [acme]}\n")
    config = load_config(root)
    rules = [r for r in project_rules(root, config) if r.id == "acme.boom"]
    tree = OutputTree.scan(root)
    with pytest.raises(InputError) as err:
        run(tree, tree.kube_objects(), config, rules)
    assert str(err.value) == "lint_rules/acme.py:6: lint rule acme.boom raised KeyError: 'nope'"
    assert err.value.exit_code == 1


def test_a_builtin_rule_that_raises_is_mwgens_bug_and_propagates(tmp_path: Path) -> None:
    def broken(ctx: Context) -> Iterator[Finding]:
        raise KeyError("nope")

    broken.__module__ = "mwgen.lint.rules.broken"
    root = project(tmp_path, {K8S: [cm("one")]})
    with pytest.raises(KeyError):
        lint(root, [Rule("broken", "why", broken)])
