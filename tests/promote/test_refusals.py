"""Bad input to mwgen promote: one located line on stderr, exit 1, no file changed."""

from __future__ import annotations

from typing import Callable

import pytest

from tests.promote.conftest import HOUR, T0, Shop
from tests.promote.test_promote import promote, web_on_dev


def refused(shop: Shop, *args: str) -> str:
    before = shop.snapshot()
    result = promote(shop, *args)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert shop.snapshot() == before
    assert result.stderr.count("\n") == 1
    return result.stderr


def test_unknown_environment(shop: Shop) -> None:
    assert refused(shop, "dev", "prod") == (
        "values/environments/prod.yaml: no environment 'prod' (environments: dev, "
        "production, staging)\n")


def test_unknown_region_of_the_target(shop: Shop) -> None:
    assert refused(shop, "dev", "production", "--region", "ap-south-1") == (
        "values/environments/production.yaml:4:3: environment.regions: production has no "
        "region 'ap-south-1' (regions: us-east-1, eu-west-1)\n")


def test_service_not_in_the_source(shop: Shop) -> None:
    assert refused(shop, "dev", "staging", "--service", "cart") == (
        "values/defaults.yaml:2:1: services: dev has no service 'cart' (services: web, api)\n")


def test_version_not_on_the_source(shop: Shop) -> None:
    assert refused(shop, "dev", "staging", "--service", "web", "--version", "v9.9.9") == (
        "values/defaults.yaml:4:35: services.web.image.tag: dev/us-east-1 runs web v1.0.0, "
        "not v9.9.9: a version is on dev when every region runs it\n")


def test_wrong_source_is_the_order_gate(shop: Shop) -> None:
    web_on_dev(shop, "v1.1.0", T0 + HOUR)
    assert refused(shop, "dev", "production") == (
        "values/environments/production.yaml:5:15: environment.promotion.from: production "
        "takes versions from staging, not from dev (--force --reason TEXT overrides, and "
        "the commit records why)\n")


def test_uncommitted_changes_in_a_file_to_edit(shop: Shop) -> None:
    web_on_dev(shop, "v1.1.0", T0 + HOUR)
    shop.edit("values/environments/staging.yaml", "# staging:", "# Staging:")
    assert refused(shop, "dev", "staging") == (
        "values/environments/staging.yaml: has uncommitted changes: commit or stash them "
        "before promoting\n")


def test_a_promotion_that_breaks_the_schema(shop: Shop, at: Callable[[int], None]) -> None:
    # release candidates may run in staging, but production's slots take releases only
    shop.edit("values/defaults.yaml", "tag: 'v2.0.0'", "tag: 'v2.1.0-rc.1'")
    shop.edit("values/environments/production.yaml", "    replicas: 4\n",
              "    replicas: 4\n    image: {tag: v2.0.0}\n")
    shop.commit("feat: api v2.1.0-rc.1 on dev and staging", T0 + HOUR)
    at(T0 + 30 * HOUR)
    assert refused(shop, "staging", "production", "--service", "api") == (
        "values/environments/production.yaml:16:17: services.api.strategy.slots.green.tag: "
        "'v2.1.0-rc.1' does not match '^v[0-9]+\\\\.[0-9]+\\\\.[0-9]+$' "
        "(production/eu-west-1, production/us-east-1)\n")


def test_an_edit_through_an_alias_is_refused(shop: Shop, at: Callable[[int], None]) -> None:
    shop.edit("values/environments/production.yaml",
              "        blue: {tag: v2.0.0}\n        green: {tag: v2.0.0}\n",
              "        blue: &live {tag: v2.0.0}\n        green: *live\n")
    shop.edit("values/defaults.yaml", "tag: 'v2.0.0'", "tag: 'v2.1.0'")
    shop.edit("values/environments/production.yaml", "    replicas: 4\n",
              "    replicas: 4\n    image: {tag: v2.0.0}\n")
    shop.commit("feat: api v2.1.0 on dev and staging; production slots share one tag",
                T0 + HOUR)
    at(T0 + 30 * HOUR)
    assert refused(shop, "staging", "production", "--service", "api") == (
        "values/environments/production.yaml:16:9: services.api.strategy.slots.green.tag is "
        "shared through a YAML anchor and alias with services.api.strategy.slots.blue.tag: "
        "editing it would change those too; give it its own value first, then promote\n")


def test_a_version_not_committed_on_the_source_has_not_soaked(
        shop: Shop, at: Callable[[int], None]) -> None:
    shop.edit("values/environments/staging.yaml", "  replicas: 3\n",
              "  replicas: 3\n\nservices:\n  web:\n    image: {tag: v1.1.0}\n")
    at(T0 + 300 * HOUR)
    assert refused(shop, "staging", "production") == (
        "values/environments/staging.yaml:7:5: environment.promotion.soak_hours: web v1.1.0 "
        "is not committed on staging yet: it needs 24 h there after its commit (--force "
        "--reason TEXT overrides, and the commit records why)\n")


@pytest.mark.parametrize("args, message", [
    (("staging",), "expected TARGET with --to-version or --switch, else SOURCE TARGET"),
    (("dev", "staging", "--force"), "--force needs --reason TEXT"),
    (("dev", "staging", "--dry-run", "--commit"), "--dry-run writes nothing"),
])
def test_usage_errors_exit_2(shop: Shop, args: tuple[str, ...], message: str) -> None:
    result = promote(shop, *args)
    assert result.exit_code == 2
    assert message in result.stderr
