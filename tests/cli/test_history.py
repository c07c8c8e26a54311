"""``mwgen history ENV``: the library's history (mwgen.promote.history) of ENV, as text or
JSON, after checking ENV and each ``-s`` service; bad names are one located line."""

from __future__ import annotations

import json
import shutil

import pytest

from mwgen.project import load_project
from mwgen.promote.history import Entry, history
from mwgen.promote.paths import Promotable
from mwgen.promote.report import history_json, history_text
from tests.helpers import mwgen
from tests.promote.conftest import HOUR, T0, Shop


def _history(shop: Shop, *args: str) -> str:
    result = mwgen("--project", str(shop.root), "history", *args)
    assert (result.exit_code, result.stderr) == (0, ""), result.stderr
    return result.stdout


def _library(shop: Shop, env: str, services: tuple[str, ...] = ()) -> list[Entry]:
    promotable = Promotable.from_config(load_project(shop.root, search=False).config)
    return history(shop.root, promotable, env, services)


def test_text_and_json_are_the_librarys(shop: Shop) -> None:
    shop.edit("values/defaults.yaml", "tag: v1.0.0}", "tag: v1.1.0}")
    shop.commit("feat: web v1.1.0 everywhere", T0 + HOUR)
    entries = _library(shop, "production")
    assert [(e.service, e.version) for e in entries] == [
        ("web", "v1.0.0"), ("api", "v2.0.0"), ("web", "v1.1.0")]
    assert _history(shop, "production") == history_text(entries) + "\n"
    as_json = _history(shop, "production", "--format", "json")
    assert as_json == history_json(entries) + "\n"
    assert json.loads(as_json)[2]["version"] == "v1.1.0"


def test_services_filter_and_repeat(shop: Shop) -> None:
    web = _history(shop, "staging", "-s", "web").splitlines()
    assert len(web) == 1 and "  web  v1.0.0  all regions  chore: the shop" in web[0]
    both = _history(shop, "staging", "--service", "api", "-s", "web")
    assert both == history_text(_library(shop, "staging", ("api", "web"))) + "\n"
    assert len(both.splitlines()) == 2


def test_an_unknown_service_is_one_located_line(shop: Shop) -> None:
    result = mwgen("--project", str(shop.root), "history", "production", "-s", "shop")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == ("values/defaults.yaml:2:1: services: production has no service "
                             "'shop' (services: web, api)\n")


def test_outside_git_is_one_line(shop: Shop) -> None:
    shutil.rmtree(shop.root / ".git")
    result = mwgen("--project", str(shop.root), "history", "production")
    assert (result.exit_code, result.stdout) == (1, "")
    [line] = result.stderr.splitlines()
    assert line.startswith("mwgen: git rev-parse: fatal: not a git repository")


@pytest.mark.parametrize(("args", "message"), [
    ([], "Missing argument 'ENV'"),
    (["production", "--format", "yaml"], "Invalid value for '--format'"),
])
def test_usage_errors_exit_2(shop: Shop, args: list[str], message: str) -> None:
    result = mwgen("--project", str(shop.root), "history", *args)
    assert result.exit_code == 2 and message in result.stderr
