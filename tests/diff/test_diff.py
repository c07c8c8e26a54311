"""The issue's acceptance test on a copy of the bundled MindWeave project."""

from __future__ import annotations

import json
from pathlib import Path

from tests.diff.conftest import edit
from tests.helpers import mwgen

PRODUCTION = ["production/us-east-1", "production/us-west-2", "production/eu-west-1"]
GATEWAY = "  api-gateway:\n    autoscaling: {min_replicas: 3, max_replicas: 20}\n"


def test_unchanged_tree_exits_0(bundled: Path) -> None:
    res = mwgen("--project", str(bundled), "diff")
    assert res.exit_code == 0, res.output
    assert "no difference" in res.stdout


def test_one_replica_change_names_exactly_the_affected_documents(bundled: Path) -> None:
    # Deployments carry no replica count (the HPA owns it): the change is minReplicas.
    values = bundled / "values" / "environments" / "production.yaml"
    edit(values, GATEWAY, GATEWAY.replace("min_replicas: 3", "min_replicas: 6"))

    res = mwgen("--project", str(bundled), "diff", "--format", "json")
    assert res.exit_code == 1, res.output
    report = json.loads(res.stdout)
    assert sorted({f["group"] for f in report["files"]}) == sorted(PRODUCTION)
    named = {(f["group"], d["document"], c["path"], c["old"], c["new"])
             for f in report["files"] for d in f["documents"] for c in d["changes"]}
    assert {(t, "HorizontalPodAutoscaler mindweave-services/api-gateway", "spec.minReplicas", 3, 6)
            for t in PRODUCTION} <= named
    assert all(path.endswith("minReplicas") and (old, new) == (3, 6)
               for _, _, path, old, new in named), named
    assert all(f["status"] == "changed" and f["meaning"] == "meaning"
               for f in report["files"])

    assert all("-  minReplicas: 3\n+  minReplicas: 6" in f["diff"] for f in report["files"])

    edit(values, GATEWAY.replace("min_replicas: 3", "min_replicas: 6"), GATEWAY)
    res = mwgen("--project", str(bundled), "diff")
    assert res.exit_code == 0, res.output


def test_target_option_limits_the_diff(bundled: Path) -> None:
    values = bundled / "values" / "environments" / "production.yaml"
    edit(values, GATEWAY, GATEWAY.replace("min_replicas: 3", "min_replicas: 6"))
    res = mwgen("--project", str(bundled), "diff", "-t", "staging/*")
    assert res.exit_code == 0, res.output
    res = mwgen("--project", str(bundled), "diff", "-t", "production/eu-west-1",
                "--format", "json")
    assert res.exit_code == 1
    assert {f["group"] for f in json.loads(res.stdout)["files"]} == {"production/eu-west-1"}
