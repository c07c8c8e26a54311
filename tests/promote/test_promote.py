"""mwgen promote in temporary git repositories: the exact bytes each promotion changes
in value files, the rendered diff it prints, and the gates read from commit dates."""

from __future__ import annotations

import difflib
from typing import Callable

from click.testing import CliRunner, Result

from mwgen.cli import main
from tests.promote.conftest import HOUR, T0, Shop, git


def promote(shop: Shop, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(shop.root), "promote", *args],
                              catch_exceptions=False)


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> dict[str, list[str]]:
    """File -> its diff lines (- and + only), for every file whose bytes changed."""
    out = {}
    for rel in sorted(set(before) | set(after)):
        if before.get(rel) == after.get(rel) or rel.endswith(".mwgen-manifest.json"):
            continue
        old = (before.get(rel) or b"").decode().splitlines(keepends=True)
        new = (after.get(rel) or b"").decode().splitlines(keepends=True)
        out[rel] = [line for line in difflib.unified_diff(old, new, n=0)
                    if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    return out


def web_on_dev(shop: Shop, version: str, when: int) -> None:
    """dev runs web ``version``; staging pins the release it has (v1.0.0) in its file."""
    shop.edit("values/environments/dev.yaml", "  regions: [us-east-1]\n",
              f"  regions: [us-east-1]\n\nservices:\n  web:\n    image: {{tag: {version}}}\n")
    shop.edit("values/environments/staging.yaml", "  replicas: 3\n",
              "  replicas: 3\n\nservices:\n  web:\n    image: {tag: v1.0.0}\n")
    shop.commit(f"feat: web {version} on dev", when)


def test_dev_to_staging_edits_the_line_where_staging_sets_it(shop: Shop) -> None:
    web_on_dev(shop, "v1.1.0", T0 + HOUR)
    before = shop.snapshot()
    result = promote(shop, "dev", "staging", "--service", "web")
    assert result.exit_code == 0, result.output
    assert changed(before, shop.snapshot()) == {
        "values/environments/staging.yaml": ["-    image: {tag: v1.0.0}\n",
                                             "+    image: {tag: v1.1.0}\n"],
        "output/staging/us-east-1/web.yaml": ["-image: shop/web:v1.0.0\n",
                                              "+image: shop/web:v1.1.0\n"],
    }
    assert ("services.web.image.tag: v1.0.0 -> v1.1.0  values/environments/staging.yaml:14:13"
            in result.output)
    assert "passed  order: staging takes versions from dev" in result.output
    assert 'Deployment #1: image: "shop/web:v1.0.0" -> "shop/web:v1.1.0"' in result.output
    # output/ is what the new values render, and the manifest knows it (no-op render)
    check = CliRunner().invoke(main, ["--project", str(shop.root), "diff", "--quick"])
    assert check.exit_code == 0, check.output
    assert "no input changed since the last render" in check.output


def test_dev_to_staging_creates_the_key_in_the_environment_file(shop: Shop) -> None:
    # staging's api version comes from defaults.yaml: staging's own file gets the key,
    # inside the flow mapping that already holds its api settings
    shop.edit("values/environments/dev.yaml", "  regions: [us-east-1]\n",
              "  regions: [us-east-1]\n\nservices:\n  api:\n    image: {tag: v2.1.0}\n")
    shop.edit("values/environments/staging.yaml", "  replicas: 3\n",
              "  replicas: 3\n\nservices:\n  api: {replicas: 1}\n")
    shop.commit("feat: api v2.1.0 on dev", T0 + HOUR)
    before = shop.snapshot()
    result = promote(shop, "dev", "staging")
    assert result.exit_code == 0, result.output
    assert changed(before, shop.snapshot()) == {
        "values/environments/staging.yaml": ["-  api: {replicas: 1}\n",
                                             "+  api: {replicas: 1, image: {tag: v2.1.0}}\n"],
        "output/staging/us-east-1/api.yaml": ["-image: shop/api:v2.0.0\n",
                                              "+image: shop/api:v2.1.0\n"],
    }
    assert ("services.api.image.tag: v2.0.0 -> v2.1.0  values/environments/staging.yaml:13:30 "
            "(new key)") in result.output


def test_staging_to_production_waits_for_the_soak(shop: Shop, at: Callable[[int], None]
                                                  ) -> None:
    web_on_dev(shop, "v1.1.0", T0 + HOUR)
    assert promote(shop, "dev", "staging").exit_code == 0
    landed = shop.commit("chore(promote): web v1.1.0 to staging", T0 + 2 * HOUR)
    before = shop.snapshot()

    at(T0 + 2 * HOUR + 23 * HOUR)
    refused = promote(shop, "staging", "production")
    assert refused.exit_code == 1
    assert refused.stdout == ""
    assert refused.stderr == (
        "values/environments/staging.yaml:7:5: environment.promotion.soak_hours: web v1.1.0 "
        f"has run on staging for 23.0 h since commit {landed[:12]} (2026-01-01 02:00 UTC); "
        "24 h required, 1.0 h left (--force --reason TEXT overrides, and the commit "
        "records why)\n")
    assert shop.snapshot() == before

    at(T0 + 2 * HOUR + 25 * HOUR)
    accepted = promote(shop, "staging", "production")
    assert accepted.exit_code == 0, accepted.output
    assert f"passed  soak: web v1.1.0 has run on staging for 25.0 h since commit {landed[:12]}" \
        in accepted.output
    assert changed(before, shop.snapshot()) == {
        "values/environments/production.yaml": ["+  web:\n", "+    image:\n",
                                                "+      tag: v1.1.0\n"],
        "output/production/eu-west-1/web.yaml": ["-image: shop/web:v1.0.0\n",
                                                 "+image: shop/web:v1.1.0\n"],
        "output/production/us-east-1/web.yaml": ["-image: shop/web:v1.0.0\n",
                                                 "+image: shop/web:v1.1.0\n"],
    }
    assert shop.read("values/environments/production.yaml").endswith(
        "        green: {tag: v2.0.0}\n  web:\n    image:\n      tag: v1.1.0\n")


def test_force_with_reason_is_recorded_in_the_commit(shop: Shop, at: Callable[[int], None]
                                                     ) -> None:
    web_on_dev(shop, "v1.1.0", T0 + HOUR)
    assert promote(shop, "dev", "staging").exit_code == 0
    shop.commit("chore(promote): web v1.1.0 to staging", T0 + 2 * HOUR)
    at(T0 + 3 * HOUR)
    no_reason = promote(shop, "staging", "production", "--force")
    assert no_reason.exit_code == 2
    forced = promote(shop, "staging", "production", "--force", "--reason",
                     "CVE-2026-1234 fix", "--commit")
    assert forced.exit_code == 0, forced.output
    assert git(shop.root, "branch", "--show-current").strip() == "promote-production-v1.1.0"
    message = git(shop.root, "log", "-1", "--format=%B")
    assert message.startswith("chore(promote): promote web v1.1.0 to production\n\n"
                              "From staging to production.\n\n"
                              "- services.web.image.tag: v1.0.0 -> v1.1.0 "
                              "(values/environments/production.yaml:18:7)\n")
    assert "- soak: FORCED: web v1.1.0 has run on staging for 1.0 h" in message
    assert message.endswith("Forced: soak\nReason: CVE-2026-1234 fix\n\n")
    assert shop.status() == ""  # values and output/ both committed


def test_one_production_region_as_a_wave(shop: Shop, at: Callable[[int], None]) -> None:
    web_on_dev(shop, "v1.1.0", T0 + HOUR)
    assert promote(shop, "dev", "staging").exit_code == 0
    shop.commit("chore(promote): web v1.1.0 to staging", T0 + 2 * HOUR)
    at(T0 + 30 * HOUR)
    before = shop.snapshot()
    result = promote(shop, "staging", "production", "--region", "eu-west-1")
    assert result.exit_code == 0, result.output
    assert changed(before, shop.snapshot()) == {
        "values/targets/production/eu-west-1.yaml": ["+services:\n", "+  web:\n",
                                                     "+    image:\n", "+      tag: v1.1.0\n"],
        "output/production/eu-west-1/web.yaml": ["-image: shop/web:v1.0.0\n",
                                                 "+image: shop/web:v1.1.0\n"],
    }
    assert "changed output/production/eu-west-1/web.yaml  [production/eu-west-1]" \
        in result.output


def test_blue_green_promotes_the_idle_slot_then_switches(shop: Shop,
                                                         at: Callable[[int], None]) -> None:
    shop.edit("values/defaults.yaml", "tag: 'v2.0.0'", "tag: 'v2.1.0'")
    shop.edit("values/environments/production.yaml", "    replicas: 4\n",
              "    replicas: 4\n    image: {tag: v2.0.0}\n")
    shop.commit("feat: api v2.1.0 on dev and staging", T0 + HOUR)
    at(T0 + 26 * HOUR)
    before = shop.snapshot()
    result = promote(shop, "staging", "production", "--service", "api")
    assert result.exit_code == 0, result.output
    after = shop.snapshot()
    assert changed(before, after) == {
        "values/environments/production.yaml": ["-        green: {tag: v2.0.0}\n",
                                                "+        green: {tag: v2.1.0}\n"],
        "output/production/eu-west-1/api.yaml": ["-preview: shop/api:v2.0.0\n",
                                                 "+preview: shop/api:v2.1.0\n"],
        "output/production/us-east-1/api.yaml": ["-preview: shop/api:v2.0.0\n",
                                                 "+preview: shop/api:v2.1.0\n"],
    }
    assert "services.api.strategy.slots.green.tag: v2.0.0 -> v2.1.0" in result.output
    shop.commit("chore(promote): api v2.1.0 to production's green slot", T0 + 27 * HOUR)

    switched = promote(shop, "production", "--switch", "--service", "api")
    assert switched.exit_code == 0, switched.output
    assert changed(after, shop.snapshot()) == {
        "values/environments/production.yaml": ["-      active: blue   # serves traffic\n",
                                                "+      active: green   # serves traffic\n"],
        "output/production/eu-west-1/api.yaml": [
            "-active: blue\n", "-image: shop/api:v2.0.0\n", "-preview: shop/api:v2.1.0\n",
            "+active: green\n", "+image: shop/api:v2.1.0\n", "+preview: shop/api:v2.0.0\n"],
        "output/production/us-east-1/api.yaml": [
            "-active: blue\n", "-image: shop/api:v2.0.0\n", "-preview: shop/api:v2.1.0\n",
            "+active: green\n", "+image: shop/api:v2.1.0\n", "+preview: shop/api:v2.0.0\n"],
    }
    assert "services.api.strategy.active: blue -> green" in switched.output


def test_rollback_to_a_version_production_ran(shop: Shop, at: Callable[[int], None]) -> None:
    web_on_dev(shop, "v1.1.0", T0 + HOUR)
    assert promote(shop, "dev", "staging").exit_code == 0
    shop.commit("chore(promote): web v1.1.0 to staging", T0 + 2 * HOUR)
    at(T0 + 30 * HOUR)
    assert promote(shop, "staging", "production").exit_code == 0
    shop.commit("chore(promote): web v1.1.0 to production", T0 + 30 * HOUR)

    history = CliRunner().invoke(main, ["--project", str(shop.root), "history", "production",
                                        "--service", "web"])
    assert history.exit_code == 0
    lines = history.stdout.splitlines()
    assert [line.split("  ")[0] + " " + " ".join(line.split("  ")[2:5]) for line in lines] == [
        "2026-01-01 00:00 UTC web v1.0.0 all regions",
        "2026-01-02 06:00 UTC web v1.1.0 all regions"]

    before = shop.snapshot()
    result = promote(shop, "production", "--to-version", "v1.0.0", "--service", "web")
    assert result.exit_code == 0, result.output
    assert changed(before, shop.snapshot()) == {
        "values/environments/production.yaml": ["-      tag: v1.1.0\n", "+      tag: v1.0.0\n"],
        "output/production/eu-west-1/web.yaml": ["-image: shop/web:v1.1.0\n",
                                                 "+image: shop/web:v1.0.0\n"],
        "output/production/us-east-1/web.yaml": ["-image: shop/web:v1.1.0\n",
                                                 "+image: shop/web:v1.0.0\n"],
    }
    assert result.stdout.startswith("roll production back to web v1.0.0\n")


def test_dry_run_and_markdown_change_nothing(shop: Shop) -> None:
    web_on_dev(shop, "v1.1.0", T0 + HOUR)
    before = shop.snapshot()
    result = promote(shop, "dev", "staging", "--dry-run", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert shop.snapshot() == before
    assert result.stdout.startswith("## promote web v1.1.0 from dev to staging (dry run")
    assert "| `services.web.image.tag` | `v1.0.0` | `v1.1.0` | " \
           "`values/environments/staging.yaml:14:13` |" in result.stdout
    assert "### rendered output" in result.stdout


def test_json_report_for_tools(shop: Shop) -> None:
    import json

    web_on_dev(shop, "v1.1.0", T0 + HOUR)
    result = promote(shop, "dev", "staging", "--dry-run", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["changes"] == [{
        "service": "web", "path": "services.web.image.tag", "old": "v1.0.0", "new": "v1.1.0",
        "file": "values/environments/staging.yaml", "line": 14, "column": 13,
        "created": False, "targets": ["staging/us-east-1"]}]
    assert report["branch"] == "promote-staging-v1.1.0"
    assert [f["path"] for f in report["diff"]["files"]] == ["output/staging/us-east-1/web.yaml"]
