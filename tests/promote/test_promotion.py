"""mwgen.promote.promotion: plans as data. Which file and line each promotion, rollback
or switch edits (decided from where the value is set), the gates, and that planning
writes nothing; plus the plan's own texts (label, branch, commit message)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mwgen.errors import InputError, Problem, UsageError
from mwgen.project import Project, load_project
from mwgen.promote.gates import Gate
from mwgen.promote.promotion import (
    Change,
    Promotion,
    PromotionRefused,
    check_env,
    plan_promote,
    plan_rollback,
    plan_switch,
    require_force_reason,
)
from tests.promote.conftest import HOUR, T0, Shop

STAGING = "values/environments/staging.yaml"
PRODUCTION = "values/environments/production.yaml"


def project(shop: Shop) -> Project:
    return load_project(shop.root, search=False)


def web_on_dev(shop: Shop, version: str = "v1.1.0") -> None:
    shop.edit("values/environments/dev.yaml", "  regions: [us-east-1]\n",
              f"  regions: [us-east-1]\n\nservices:\n  web:\n    image: {{tag: {version}}}\n")
    shop.commit(f"feat: web {version} on dev", T0 + HOUR)


def test_planning_writes_nothing_and_records_old_bytes_and_new_text(shop: Shop) -> None:
    web_on_dev(shop)
    before = shop.snapshot()
    plan = plan_promote(project(shop), "dev", "staging", services=["web"])
    assert shop.snapshot() == before
    assert plan.versions == {"web": "v1.1.0"} and plan.scope == "staging"
    (change,) = plan.changes
    assert change == Change("web", ("services", "web", "image", "tag"), "v1.0.0", "v1.1.0",
                            STAGING, 15, 7, created=True, targets=("staging/us-east-1",))
    old, new = plan.files[STAGING]
    assert old == before[STAGING]
    # entries of staging.yaml are set apart by blank lines: the new one is too
    assert new == before[STAGING].decode() + "\nservices:\n  web:\n    image:\n      tag: v1.1.0\n"
    assert [(g.name, g.passed) for g in plan.gates] == [("order", True), ("soak", True)]


def test_a_value_the_environment_sets_is_edited_where_it_is(shop: Shop) -> None:
    shop.edit(STAGING, "  replicas: 3\n", "  replicas: 3\n\nservices:\n  web:\n"
                                          "    image: {tag: v1.0.0}\n")
    web_on_dev(shop)
    plan = plan_promote(project(shop), "dev", "staging", services=["web"])
    (change,) = plan.changes
    assert (change.file, change.line, change.column, change.created) == (STAGING, 14, 13, False)
    assert plan.files[STAGING][1].endswith("    image: {tag: v1.1.0}\n")


def test_a_wave_writes_the_target_file(shop: Shop) -> None:
    web_on_dev(shop)
    plan = plan_promote(project(shop), "dev", "staging", services=["web"], regions=["us-east-1"])
    (change,) = plan.changes
    assert change.file == "values/targets/staging/us-east-1.yaml" and change.created
    assert plan.files[change.file] == (None, "services:\n  web:\n    image:\n      tag: v1.1.0\n")
    assert plan.scope == "staging/us-east-1"
    assert plan.branch == "promote-staging-us-east-1-v1.1.0"


def test_a_value_from_a_shared_region_file_is_shadowed_in_the_target_file(shop: Shop) -> None:
    shop.edit("values/regions/us-east-1.yaml", "region: {name: us-east-1}\n",
              "region: {name: us-east-1}\nservices: {web: {image: {tag: v1.0.0}}}\n")
    (shop.root / "values/targets/dev").mkdir(parents=True)
    (shop.root / "values/targets/dev/us-east-1.yaml").write_text(
        "services: {web: {image: {tag: v1.1.0}}}\n")
    shop.commit("feat: web v1.1.0 on dev", T0 + HOUR)
    plan = plan_promote(project(shop), "dev", "staging", services=["web"])
    assert [c.file for c in plan.changes] == ["values/targets/staging/us-east-1.yaml"]
    assert "values/regions/us-east-1.yaml" not in plan.files


def test_a_version_already_there_is_a_plan_without_changes_or_gates(shop: Shop) -> None:
    plan = plan_promote(project(shop), "dev", "staging", services=["web"])
    assert plan.changes == [] and plan.gates == [] and plan.files == {} and plan.versions == {}


def test_a_blue_green_target_takes_the_version_in_its_idle_slot(shop: Shop) -> None:
    plan = plan_promote(project(shop), "staging", "production", services=["api"],
                        version="v2.0.0")
    assert plan.changes == []  # both slots hold it already
    shop.edit("values/defaults.yaml", "tag: 'v2.0.0'", "tag: 'v2.1.0'")
    shop.commit("feat: api v2.1.0", T0 + HOUR)
    plan = plan_promote(project(shop), "staging", "production", services=["api"],
                        now=T0 + 30 * HOUR)
    (change,) = plan.changes
    assert change.path == ("services", "api", "strategy", "slots", "green", "tag")
    assert (change.file, change.old, change.new) == (PRODUCTION, "v2.0.0", "v2.1.0")
    assert change.targets == ("production/us-east-1", "production/eu-west-1")
    assert plan.approval == "manual"


def test_failed_gates_refuse_with_one_located_line_each(shop: Shop) -> None:
    web_on_dev(shop)
    with pytest.raises(PromotionRefused) as caught:
        plan_promote(project(shop), "dev", "production", services=["web"], now=T0 + 2 * HOUR)
    lines = caught.value.lines()
    assert lines[0] == ("values/environments/production.yaml:5:15: environment.promotion.from: "
                        "production takes versions from staging, not from dev (--force --reason "
                        "TEXT overrides, and the commit records why)")
    assert len(lines) == 1 and caught.value.exit_code == 1


def test_force_turns_failed_gates_into_a_recorded_override(shop: Shop) -> None:
    web_on_dev(shop)
    plan = plan_promote(project(shop), "dev", "production", services=["web"], force=True,
                        reason="incident 7", now=T0 + 2 * HOUR)
    assert [g.name for g in plan.forced] == ["order"]
    message = plan.commit_message()
    assert message.startswith("chore(promote): promote web v1.1.0 to production\n\n"
                              "From dev to production.\n\n- services.web.image.tag: v1.0.0 -> "
                              "v1.1.0 (values/environments/production.yaml:")
    assert "- order: FORCED: production takes versions from staging, not from dev" in message
    assert message.endswith("\nForced: order\nReason: incident 7\n")


@pytest.mark.parametrize("call, message", [
    (lambda p: plan_promote(p, "qa", "staging"),
     "values/environments/qa.yaml: no environment 'qa' (environments: dev, production, staging)"),
    (lambda p: plan_promote(p, "dev", "staging", regions=["ap-south-1"]),
     "values/environments/staging.yaml:4:3: environment.regions: staging has no region "
     "'ap-south-1' (regions: us-east-1)"),
    (lambda p: plan_promote(p, "dev", "staging", services=["db"]),
     "values/defaults.yaml:2:1: services: dev has no service 'db' (services: web, api)"),
    (lambda p: plan_promote(p, "dev", "staging", version="v9.0.0"),
     "values/defaults.yaml:2:1: no service runs v9.0.0 on dev"),
    (lambda p: plan_switch(p, "staging"),
     "values/environments/staging.yaml: staging has no blue-green service to switch"),
    (lambda p: plan_switch(p, "staging", services=["web"]),
     "values/defaults.yaml:4:35: web is not blue-green in staging/us-east-1 (no active slot and "
     "slots): nothing to switch"),
    (lambda p: plan_rollback(p, "production", "v0.1.0"),
     "values/environments/production.yaml: production never ran v0.1.0 (see mwgen history "
     "production)"),
])
def test_bad_requests_are_one_located_line(shop: Shop, call: Callable[[Project], object],
                                           message: str) -> None:
    with pytest.raises(InputError) as caught:
        call(project(shop))
    assert caught.value.lines() == [message]


def test_switch_moves_the_active_slot(shop: Shop) -> None:
    plan = plan_switch(project(shop), "production")
    (change,) = plan.changes
    assert change.path == ("services", "api", "strategy", "active")
    assert (change.old, change.new, change.file) == ("blue", "green", PRODUCTION)
    assert plan.versions == {"api": "green"} and plan.label == "api to green"
    assert plan.branch == "switch-production-api-green"
    assert plan.commit_message().startswith("chore(switch): switch production api to green\n")


def test_rollback_goes_back_to_a_version_from_history(shop: Shop) -> None:
    shop.edit("values/defaults.yaml", "tag: v1.0.0}", "tag: v1.1.0}")
    shop.commit("feat: web v1.1.0 everywhere", T0 + HOUR)
    plan = plan_rollback(project(shop), "production", "v1.0.0", services=["web"])
    (change,) = plan.changes
    assert (change.old, change.new, change.file, change.created) == (
        "v1.1.0", "v1.0.0", PRODUCTION, True)
    assert plan.source is None and plan.gates == []
    assert plan.commit_message().startswith(
        "chore(rollback): roll production back to web v1.0.0\n\n- services.web.image.tag")
    with pytest.raises(InputError, match="production never ran web v0.9.0 \\(its history: "
                                         "v1.0.0, v1.1.0\\)"):
        plan_rollback(project(shop), "production", "v0.9.0", services=["web"])


def test_check_env_lists_its_targets(shop: Shop) -> None:
    assert [t.name for t in check_env(project(shop), "production")] == [
        "production/us-east-1", "production/eu-west-1"]


def test_force_needs_a_reason() -> None:
    require_force_reason(False, None)
    require_force_reason(True, "why")
    for reason in (None, "", "   "):
        with pytest.raises(UsageError, match="--force needs --reason TEXT"):
            require_force_reason(True, reason)


def test_labels_and_branches_of_several_services() -> None:
    same = Promotion("promote", "prod", "staging", versions={"a": "v1", "b": "v1"})
    assert same.label == "v1" and same.branch == "promote-prod-v1"
    mixed = Promotion("rollback", "prod", regions=("eu", "us"), versions={"a": "v1", "b": "v2"})
    assert mixed.label == "a v1, b v2" and mixed.scope == "prod/eu,us"
    assert mixed.branch == "rollback-prod-eu-us-v1-v2"


def test_a_reason_is_recorded_only_when_a_gate_was_forced() -> None:
    plan = Promotion("promote", "prod", "staging", versions={"a": "v1"}, reason="because")
    plan.gates.append(Gate("order", True, Problem(file="f", message="ok")))
    assert "Reason" not in plan.commit_message()
    assert plan.commit_message().endswith("Gates:\n- order: passed: ok\n")


def test_change_json_and_where() -> None:
    change = Change("web", ("services", "web", "tag"), None, "v2", "f.yaml", 3, 7, True, ("a/b",))
    assert change.where == "f.yaml:3:7"
    assert change.to_json() == {"service": "web", "path": "services.web.tag", "old": None,
                                "new": "v2", "file": "f.yaml", "line": 3, "column": 7,
                                "created": True, "targets": ["a/b"]}
