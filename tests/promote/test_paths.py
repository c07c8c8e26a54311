"""mwgen.promote.paths: what a release is, from the paths ``mwgen.yaml`` declares; nothing
guessed from key names. A blue-green service runs its active slot and takes a new
version in its idle one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mwgen.config import ProjectConfig
from mwgen.errors import InputError
from mwgen.promote.paths import Promotable, fill, get

DECLARED = {"version": "services.{service}.image.tag",
            "slot_active": "services.{service}.strategy.active",
            "slot_version": "services.{service}.strategy.slots.{slot}.tag"}
DATA: dict[str, Any] = {"services": {
    "web": {"image": {"tag": "v1"}},
    "api": {"image": {"tag": "v2"},
            "strategy": {"active": "blue", "slots": {"blue": {"tag": "v2"},
                                                     "green": {"tag": "v3"}}}}}}


def promotable(raw: dict[str, Any] | None = None) -> Promotable:
    config = ProjectConfig(root=Path("."), raw={} if raw is None else {"promote": raw})
    return Promotable.from_config(config)


def test_from_config_splits_the_declared_paths() -> None:
    p = promotable(DECLARED)
    assert p.version == ("services", "{service}", "image", "tag")
    assert p.slot_active == ("services", "{service}", "strategy", "active")
    assert p.slot_version == ("services", "{service}", "strategy", "slots", "{slot}", "tag")
    assert promotable({"version": "apps.{service}.v"}).slot_active is None


def test_a_project_that_declares_nothing_is_told_what_to_add() -> None:
    with pytest.raises(InputError) as caught:
        promotable()
    assert caught.value.lines() == [
        "mwgen.yaml: declares no promotable paths: add `promote: {version: "
        "services.{service}.image.tag}` to promote"]


def test_services_are_the_keys_before_the_placeholder() -> None:
    p = promotable({"version": "apps.{service}.v"})
    assert p.services_at == ("apps",)
    assert p.services({"apps": {"b": {}, "a": {}}}) == ["b", "a"]
    assert p.services({"apps": ["a"]}) == [] and p.services({}) == []


def test_a_rolling_service_runs_and_takes_the_version_path() -> None:
    p = promotable(DECLARED)
    assert p.slots(DATA, "web") is None
    assert p.running_path(DATA, "web") == p.target_path(DATA, "web") == (
        "services", "web", "image", "tag")
    assert p.running(DATA, "web") == "v1"


def test_a_blue_green_service_runs_its_active_slot_and_takes_the_idle_one() -> None:
    p = promotable(DECLARED)
    assert p.slots(DATA, "api") == ("blue", "green")
    assert p.running_path(DATA, "api") == ("services", "api", "strategy", "slots", "blue", "tag")
    assert p.target_path(DATA, "api") == ("services", "api", "strategy", "slots", "green", "tag")
    assert p.running(DATA, "api") == "v2"


@pytest.mark.parametrize("strategy", [
    {"active": "blue", "slots": {"blue": {}}},                          # no idle slot
    {"active": "blue", "slots": {"blue": {}, "green": {}, "red": {}}},  # which idle one?
    {"active": 1, "slots": {"blue": {}, "green": {}}},                  # not a slot name
    {"active": "blue", "slots": ["blue", "green"]},                     # not a mapping
    {"slots": {"blue": {}, "green": {}}},                               # no active slot
])
def test_anything_but_one_active_and_one_idle_slot_is_not_blue_green(strategy: Any) -> None:
    data = {"services": {"api": {"image": {"tag": "v1"}, "strategy": strategy}}}
    p = promotable(DECLARED)
    assert p.slots(data, "api") is None
    assert p.target_path(data, "api") == ("services", "api", "image", "tag")


def test_without_declared_slots_nothing_is_blue_green() -> None:
    p = promotable({"version": DECLARED["version"]})
    assert p.slots(DATA, "api") is None and p.running(DATA, "api") == "v2"


def test_fill_and_get() -> None:
    assert fill(("a", "{service}", "{slot}", "b"), "web", "blue") == ("a", "web", "blue", "b")
    assert fill(("{slot}",), "web") == ("",)
    assert get(DATA, ("services", "web", "image", "tag")) == "v1"
    assert get(DATA, ("services", "nope", "image")) is None
    assert get(DATA, ("services", "web", "image", "tag", "deeper")) is None
    assert get(DATA, ()) is DATA
