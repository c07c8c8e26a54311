"""``mwgen targets``: the ENV/REGION list, as text or JSON, in the project's order."""

from __future__ import annotations

import json

from tests.helpers import FIXTURES, mwgen

MINI = FIXTURES / "mini"


def test_targets_in_env_then_listed_region_order():
    result = mwgen("--project", str(MINI), "targets")
    assert result.exit_code == 0
    assert result.stdout.split() == ["dev/r1", "prod/r1", "prod/r2"]
    data = json.loads(mwgen("--project", str(MINI), "targets", "--format", "json").stdout)
    assert data[2] == {"name": "prod/r2", "env": "prod", "region": "r2"}


def test_region_without_file(mini):
    (mini / "values/environments/dev.yaml").write_text(
        "environment:\n  name: dev\n  regions: [r1, ap-south-9]\n")
    result = mwgen("--project", str(mini), "targets")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "values/environments/dev.yaml:3:17: environment.regions[1]: region 'ap-south-9' has "
        "no values file values/regions/ap-south-9.yaml")
