"""Each MW-POL rule catches a manifest broken for it, and waivers need a reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from mwgen.lint import policy
from mwgen.lint.tree import OutputTree

GOOD = list(yaml.safe_load_all((Path(__file__).parent / "cases/policy/good.yaml").read_text()))
DEPLOY, HPA, PDB, CANARY, REGIONS = range(5)


def container(docs: list[Any]) -> dict[str, Any]:
    return docs[DEPLOY]["spec"]["template"]["spec"]["containers"][0]


def run(make_project, docs: list[Any], env: str = "production") -> list[tuple[str, str, str]]:
    root = make_project({f"output/k8s/{env}/us-east-1/app.yaml": yaml.safe_dump_all(docs)})
    tree = OutputTree.scan(root)
    return sorted((p.rule, p.path, p.message) for p in policy.check(tree, tree.kube_objects()))


def regions(docs: list[Any], eu_primary: bool) -> None:
    docs[REGIONS]["data"]["regions.yaml"] = yaml.safe_dump({"regions": [
        {"name": "eu-west-1", "role": "eu-data", "database": {"primary": eu_primary}}]})


CONTAINER = "spec.template.spec.containers[0]"
BREAKAGES: list[tuple[str, Callable[[list[Any]], Any], str]] = [
    ("MW-POL-001", lambda d: d[DEPLOY]["spec"]["template"]["spec"].pop("securityContext"), "may run as root"),
    ("MW-POL-002", lambda d: container(d)["securityContext"].pop("capabilities"), "does not drop ALL"),
    ("MW-POL-003", lambda d: container(d)["securityContext"].update(allowPrivilegeEscalation=True),
     "allows privilege escalation"),
    ("MW-POL-004", lambda d: container(d)["securityContext"].update(readOnlyRootFilesystem=False),
     "writable root filesystem"),
    ("MW-POL-005", lambda d: container(d)["resources"].pop("limits"), "sets no limits.cpu, limits.memory"),
    ("MW-POL-006", lambda d: container(d).pop("readinessProbe"), "has no readinessProbe"),
    ("MW-POL-007", lambda d: container(d).update(image="mindweave/api-gateway:latest"), "uses the latest tag"),
    ("MW-POL-007", lambda d: container(d).update(image="mindweave/api-gateway"), "has no tag"),
    ("MW-POL-008", lambda d: d[PDB]["spec"].update(minAvailable=3),
     "PDB allows no disruption of Deployment/api-gateway: minAvailable 3 vs HPA minReplicas 3"),
    ("MW-POL-009", lambda d: d[HPA]["spec"].update(minReplicas=30), "minReplicas 30 is above maxReplicas 20"),
    ("MW-POL-010", lambda d: d[CANARY]["spec"]["analysis"].update(maxWeight=120), "maxWeight 120 is above 100"),
    ("MW-POL-010", lambda d: d[CANARY]["spec"]["analysis"].update(maxWeight=45),
     "maxWeight 45 is not reachable in steps of 10"),
    ("MW-POL-011", lambda d: container(d)["env"].append({"name": "DB_PASSWORD", "value": "hunter2"}),
     "env DB_PASSWORD looks like a credential"),
    ("MW-POL-012", lambda d: regions(d, eu_primary=False),
     "eu-data region 'eu-west-1' has no primary database of its own"),
]


def test_the_good_workload_passes_every_rule(make_project) -> None:
    assert run(make_project, GOOD) == []


def test_every_rule_has_an_id_and_a_one_line_reason() -> None:
    assert list(policy.RULES) == [f"MW-POL-{n:03d}" for n in range(1, 14)]
    assert all(r.reason and "\n" not in r.reason for r in policy.RULES.values())
    tested = {rule for rule, _b, _m in BREAKAGES} | {"MW-POL-013"}
    assert tested == set(policy.RULES)


@pytest.mark.parametrize("rule, breakage, message", BREAKAGES,
                         ids=[f"{r}-{i}" for i, (r, _b, _m) in enumerate(BREAKAGES)])
def test_each_rule_catches_its_breakage(make_project, rule: str, breakage, message: str) -> None:
    import copy

    docs = copy.deepcopy(GOOD)
    breakage(docs)
    found = run(make_project, docs)
    assert [r for r, _p, _m in found] == [rule]
    assert message in found[0][2]


def test_latest_is_fine_in_dev(make_project) -> None:
    import copy

    docs = copy.deepcopy(GOOD)
    container(docs)["image"] = "mindweave/api-gateway:latest"
    assert run(make_project, docs, env="dev") == []
    docs[DEPLOY]["metadata"]["labels"]["mwgen.io/env"] = "staging"  # the label wins over the path
    assert [r for r, _p, _m in run(make_project, docs, env="dev")] == ["MW-POL-007"]


def test_a_waiver_with_a_reason_silences_the_rule(make_project) -> None:
    import copy

    docs = copy.deepcopy(GOOD)
    container(docs)["securityContext"]["readOnlyRootFilesystem"] = False
    docs[DEPLOY]["metadata"]["annotations"] = {
        "mwgen.io/waive": "MW-POL-004=legacy cache writes to /var/lib/app; MW-POL-007=unused"}
    assert run(make_project, docs) == []


@pytest.mark.parametrize("waiver, message", [
    ("MW-POL-004", "waiver of MW-POL-004 gives no reason"),
    ("MW-POL-004=  ", "waiver of MW-POL-004 gives no reason"),
    ("MW-POL-999=because", "waiver for unknown rule 'MW-POL-999'"),
    ("MW-POL-012=we are in a hurry", "MW-POL-012 (eu-data-own-primary) cannot be waived"),
])
def test_a_bad_waiver_is_a_finding_and_waives_nothing(make_project, waiver: str, message: str) -> None:
    import copy

    docs = copy.deepcopy(GOOD)
    container(docs)["securityContext"]["readOnlyRootFilesystem"] = False
    docs[DEPLOY]["metadata"]["annotations"] = {"mwgen.io/waive": waiver}
    found = run(make_project, docs)
    assert ("MW-POL-013", "metadata.annotations['mwgen.io/waive']") in [(r, p) for r, p, _m in found]
    assert any(message in m for r, _p, m in found if r == "MW-POL-013")
    assert "MW-POL-004" in [r for r, _p, _m in found]


def test_pdb_without_hpa_is_compared_with_replicas(make_project) -> None:
    import copy

    docs = copy.deepcopy(GOOD)
    del docs[HPA]
    docs[PDB - 1]["spec"]["minAvailable"] = 3
    found = run(make_project, docs[:CANARY - 1])
    assert [m for _r, _p, m in found] == [
        "PodDisruptionBudget/api-gateway: PDB allows no disruption of Deployment/api-gateway: "
        "minAvailable 3 vs replicas 3"]


@pytest.mark.parametrize("image, ok", [
    ("registry.example.com:5000/team/app:1.2.3", True),
    ("registry.example.com:5000/team/app", False),
    ("app@sha256:" + "a" * 64, True),
    ("app:latest", False),
])
def test_image_tags(image: str, ok: bool) -> None:
    assert (policy.image_problem(image) is None) is ok
