"""mwgen.promote.gates: the order and soak gates as data, each with one located line
saying why, evaluated from values and the shop's git history (tests/promote/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mwgen.project import Project, load_project
from mwgen.promote import gates
from mwgen.promote.gates import Gate, order, soak
from mwgen.promote.paths import Promotable
from tests.promote.conftest import HOUR, T0, Shop, git


def project(shop: Shop) -> Project:
    return load_project(shop.root, search=False)


def promotable(shop: Shop) -> Promotable:
    return Promotable.from_config(project(shop).config)


def test_order_passes_for_the_declared_source_located_where_it_is_declared(shop: Shop) -> None:
    gate = order(project(shop), "dev", "staging")
    assert (gate.name, gate.passed) == ("order", True)
    assert gate.line() == ("values/environments/staging.yaml:6:5: environment.promotion.from: "
                           "staging takes versions from dev")


def test_order_refuses_another_source(shop: Shop) -> None:
    gate = order(project(shop), "dev", "production")
    assert not gate.passed
    assert gate.line() == ("values/environments/production.yaml:5:15: "
                           "environment.promotion.from: production takes versions from "
                           "staging, not from dev")


def test_order_refuses_an_environment_that_declares_no_source(shop: Shop) -> None:
    gate = order(project(shop), "staging", "dev")
    assert not gate.passed
    assert gate.problem.message == "dev takes no promotions (it declares no source)"
    assert gate.problem.file == "values/defaults.yaml"  # the nearest setting: the promotion block


def test_a_source_without_soak_time_passes(shop: Shop) -> None:
    gate = soak(project(shop), promotable(shop), "dev", ["us-east-1"], "web", "v9.9.9")
    assert gate == Gate("soak", True, gate.problem)
    assert gate.problem.message == "dev requires no soak time"
    assert gate.problem.file == "values/defaults.yaml"


def test_soak_counts_hours_from_the_commit_that_introduced_the_version(shop: Shop) -> None:
    first = git(shop.root, "rev-parse", "HEAD").strip()
    p, prom = project(shop), promotable(shop)
    ok = soak(p, prom, "staging", ["us-east-1"], "web", "v1.0.0", now=T0 + 25 * HOUR)
    assert ok.passed
    assert ok.line() == (f"values/environments/staging.yaml:7:5: environment.promotion."
                         f"soak_hours: web v1.0.0 has run on staging for 25.0 h since commit "
                         f"{first[:12]} (2026-01-01 00:00 UTC); 24 h required")
    early = soak(p, prom, "staging", ["us-east-1"], "web", "v1.0.0", now=T0 + 10 * HOUR)
    assert not early.passed and early.problem.message.endswith("; 24 h required, 14.0 h left")


def test_soak_restarts_when_the_version_changed_since(shop: Shop) -> None:
    shop.edit("values/defaults.yaml", "tag: v1.0.0}", "tag: v1.1.0}")
    later = shop.commit("feat: web v1.1.0", T0 + 30 * HOUR)
    gate = soak(project(shop), promotable(shop), "staging", ["us-east-1"], "web", "v1.1.0",
                now=T0 + 40 * HOUR)
    assert not gate.passed
    assert f"for 10.0 h since commit {later[:12]}" in gate.problem.message


def test_a_version_not_committed_on_the_source_fails_soak(shop: Shop) -> None:
    gate = soak(project(shop), promotable(shop), "staging", ["us-east-1"], "web", "v2.0.0",
                now=T0 + 100 * HOUR)
    assert not gate.passed
    assert gate.problem.message == ("web v2.0.0 is not committed on staging yet: it needs 24 h "
                                    "there after its commit")


def test_soak_reads_the_clock_when_no_time_is_given(shop: Shop, at: Callable[[int], None]
                                                    ) -> None:
    at(T0 + 24 * HOUR)
    assert soak(project(shop), promotable(shop), "staging", ["us-east-1"], "web", "v1.0.0").passed
    at(T0 + 23 * HOUR)
    assert not soak(project(shop), promotable(shop), "staging", ["us-east-1"], "web",
                    "v1.0.0").passed


def test_the_clock_is_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gates.time, "time", lambda: 1234.5)
    assert gates.clock() == 1234.5
