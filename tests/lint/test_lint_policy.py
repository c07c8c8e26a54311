"""Each single-object rule catches a manifest broken for it, and waivers need a reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from mwgen.lint.rules import builtin_rules
from mwgen.lint.rules.image_pinned import image_problem
from tests.lint.rulekit import findings

GOOD = list(yaml.safe_load_all((Path(__file__).parent / "cases/policy/good.yaml").read_text()))[:4]
DEPLOY, HPA, PDB, CANARY = range(4)
POLICY = ("pod.run-as-non-root", "pod.drop-all-capabilities", "pod.no-privilege-escalation",
          "pod.read-only-root-fs", "pod.requests-and-limits", "pod.liveness-and-readiness",
          "image.pinned", "pod.secrets-from-secret-refs", "pdb.allows-disruption", "hpa.min-le-max",
          "canary.weights", "waiver.has-reason")


def container(docs: list[Any]) -> dict[str, Any]:
    return docs[DEPLOY]["spec"]["template"]["spec"]["containers"][0]


def run(make_project, docs: list[Any], env: str = "production",
        config: str = "lint: {options: {image.pinned: {unpinned_allowed_in: [dev]}}}\n"
        ) -> list[tuple[str, str, str]]:
    root = make_project({f"output/k8s/{env}/us-east-1/app.yaml": yaml.safe_dump_all(docs),
                         "mwgen.yaml": config})
    return findings(root, POLICY)


CONTAINER = "spec.template.spec.containers[0]"
BREAKAGES: list[tuple[str, Callable[[list[Any]], Any], str]] = [
    ("pod.run-as-non-root", lambda d: d[DEPLOY]["spec"]["template"]["spec"].pop("securityContext"), "may run as root"),
    ("pod.drop-all-capabilities", lambda d: container(d)["securityContext"].pop("capabilities"), "does not drop ALL"),
    ("pod.no-privilege-escalation", lambda d: container(d)["securityContext"].update(allowPrivilegeEscalation=True),
     "allows privilege escalation"),
    ("pod.read-only-root-fs", lambda d: container(d)["securityContext"].update(readOnlyRootFilesystem=False),
     "writable root filesystem"),
    ("pod.requests-and-limits", lambda d: container(d)["resources"].pop("limits"), "sets no limits.cpu, limits.memory"),
    ("pod.liveness-and-readiness", lambda d: container(d).pop("readinessProbe"), "has no readinessProbe"),
    ("image.pinned", lambda d: container(d).update(image="mindweave/api-gateway:latest"), "uses the latest tag"),
    ("image.pinned", lambda d: container(d).update(image="mindweave/api-gateway"), "has no tag"),
    ("pdb.allows-disruption", lambda d: d[PDB]["spec"].update(minAvailable=3),
     "PDB allows no disruption of Deployment/api-gateway: minAvailable 3 vs HPA minReplicas 3"),
    ("hpa.min-le-max", lambda d: d[HPA]["spec"].update(minReplicas=30), "minReplicas 30 is above maxReplicas 20"),
    ("canary.weights", lambda d: d[CANARY]["spec"]["analysis"].update(maxWeight=120), "maxWeight 120 is above 100"),
    ("canary.weights", lambda d: d[CANARY]["spec"]["analysis"].update(maxWeight=45),
     "maxWeight 45 is not reachable in steps of 10"),
    ("pod.secrets-from-secret-refs", lambda d: container(d)["env"].append({"name": "DB_PASSWORD", "value": "hunter2"}),
     "env DB_PASSWORD looks like a credential"),
    ("pod.secrets-from-secret-refs", lambda d: container(d)["env"].append({"name": "dbPass", "value": "hunter2"}),
     "env dbPass looks like a credential"),
    ("pod.secrets-from-secret-refs",
     lambda d: container(d)["env"].append({"name": "UPSTREAM", "value": "postgres://app:pw@db:5432/x"}),
     "env UPSTREAM holds what looks like a password in a URL"),
]


def test_the_good_workload_passes_every_rule(make_project) -> None:
    assert run(make_project, GOOD) == []


def test_every_rule_has_an_id_and_a_one_line_reason() -> None:
    rules = builtin_rules()
    assert len({r.id for r in rules}) == len(rules)
    assert all(r.why and "\n" not in r.why and r.severity in ("error", "warning") for r in rules)
    tested = {rule for rule, _b, _m in BREAKAGES} | {"waiver.has-reason"}
    assert tested == set(POLICY)


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
    assert [r for r, _p, _m in run(make_project, docs, env="dev")] == ["image.pinned"]


def test_a_waiver_with_a_reason_silences_the_rule(make_project) -> None:
    import copy

    docs = copy.deepcopy(GOOD)
    container(docs)["securityContext"]["readOnlyRootFilesystem"] = False
    docs[DEPLOY]["metadata"]["annotations"] = {
        "mwgen.io/waive": "pod.read-only-root-fs=legacy cache writes to /var/lib/app; image.pinned=unused"}
    assert run(make_project, docs) == []


@pytest.mark.parametrize("waiver, message", [
    ("pod.read-only-root-fs", "waiver of pod.read-only-root-fs gives no reason"),
    ("pod.read-only-root-fs=  ", "waiver of pod.read-only-root-fs gives no reason"),
    ("no.such-rule=because", "waiver for unknown rule 'no.such-rule'"),
    ("waiver.has-reason=we are in a hurry", "waiver.has-reason cannot be waived"),
])
def test_a_bad_waiver_is_a_finding_and_waives_nothing(make_project, waiver: str, message: str) -> None:
    import copy

    docs = copy.deepcopy(GOOD)
    container(docs)["securityContext"]["readOnlyRootFilesystem"] = False
    docs[DEPLOY]["metadata"]["annotations"] = {"mwgen.io/waive": waiver}
    found = run(make_project, docs)
    assert ("waiver.has-reason", "metadata.annotations['mwgen.io/waive']") in [(r, p) for r, p, _m in found]
    assert any(message in m for r, _p, m in found if r == "waiver.has-reason")
    assert "pod.read-only-root-fs" in [r for r, _p, _m in found]


def test_pdb_without_hpa_is_compared_with_replicas(make_project) -> None:
    import copy

    docs = copy.deepcopy(GOOD)
    del docs[HPA]
    docs[PDB - 1]["spec"]["minAvailable"] = 3
    docs[PDB - 1]["spec"]["selector"]["matchLabels"] = {"app": "api-gateway"}
    found = run(make_project, docs[:CANARY - 1])
    assert [m for _r, _p, m in found] == [
        "error: PodDisruptionBudget/api-gateway: PDB allows no disruption of Deployment/api-gateway: "
        "minAvailable 3 vs replicas 3 (why: a PDB that needs every replica blocks node drains and upgrades)"]


@pytest.mark.parametrize("image, ok", [
    ("registry.example.com:5000/team/app:1.2.3", True),
    ("registry.example.com:5000/team/app", False),
    ("app@sha256:" + "a" * 64, True),
    ("app:latest", False),
])
def test_image_tags(image: str, ok: bool) -> None:
    assert (image_problem(image) is None) is ok
