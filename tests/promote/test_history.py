"""mwgen history: the versions an environment ran, per region, from git alone."""

from __future__ import annotations

import json
from typing import Callable

from click.testing import CliRunner

from mwgen.cli import main
from tests.promote.conftest import HOUR, T0, Shop
from tests.promote.test_promote import promote, web_on_dev


def history(shop: Shop, *args: str) -> str:
    result = CliRunner().invoke(main, ["--project", str(shop.root), "history", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_wave_then_the_rest(shop: Shop, at: Callable[[int], None]) -> None:
    web_on_dev(shop, "v1.1.0", T0 + HOUR)
    assert promote(shop, "dev", "staging").exit_code == 0
    shop.commit("promote web to staging", T0 + 2 * HOUR)
    at(T0 + 30 * HOUR)
    assert promote(shop, "staging", "production", "-r", "eu-west-1").exit_code == 0
    first = shop.commit("wave 1: eu-west-1", T0 + 30 * HOUR)
    assert promote(shop, "staging", "production", "-r", "us-east-1").exit_code == 0
    second = shop.commit("wave 2: us-east-1", T0 + 32 * HOUR)
    shop.edit("values/environments/production.yaml", "# production:", "# Production:")
    shop.commit("docs: a comment only", T0 + 33 * HOUR)

    assert history(shop, "production", "--service", "web") == (
        f"2026-01-01 00:00 UTC  {_sha(shop, 'HEAD~5')}  web  v1.0.0  all regions  "
        "chore: the shop\n"
        f"2026-01-02 06:00 UTC  {first[:12]}  web  v1.1.0  eu-west-1  wave 1: eu-west-1\n"
        f"2026-01-02 08:00 UTC  {second[:12]}  web  v1.1.0  us-east-1  wave 2: us-east-1\n")
    entries = json.loads(history(shop, "production", "--format", "json"))
    assert [(e["service"], e["version"], e["regions"]) for e in entries] == [
        ("web", "v1.0.0", ["us-east-1", "eu-west-1"]),
        ("api", "v2.0.0", ["us-east-1", "eu-west-1"]),
        ("web", "v1.1.0", ["eu-west-1"]),
        ("web", "v1.1.0", ["us-east-1"])]


def test_unknown_environment_is_one_line(shop: Shop) -> None:
    result = CliRunner().invoke(main, ["--project", str(shop.root), "history", "qa"])
    assert result.exit_code == 1
    assert result.stderr == ("values/environments/qa.yaml: no environment 'qa' "
                             "(environments: dev, production, staging)\n")


def _sha(shop: Shop, rev: str) -> str:
    from tests.promote.conftest import git

    return git(shop.root, "rev-parse", rev).strip()[:12]
