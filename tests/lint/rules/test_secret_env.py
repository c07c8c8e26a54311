"""pod.secrets-from-secret-refs: credential-like env vars come from a Secret, not a value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mwgen.lint.rules.secret_env import RULE
from tests.lint.rules.kit import K8S, check, container, line_of, project, run, where, workload

TOKEN = "ghp_" + "a1B2c3D4e5" * 4


def with_env(*env: Any, kind: str = "Deployment") -> list[dict[str, Any]]:
    return [workload("web", kind=kind, containers=[container(env=list(env))])]


def test_plain_settings_and_secret_refs_pass(tmp_path: Path) -> None:
    env = [{"name": "LOG_LEVEL", "value": "info"}, {"name": "PASSWORD_FILE", "value": "/run/secrets/db"},
           {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}},
           "junk"]
    assert run(RULE, tmp_path, {K8S: with_env(*env)}) == []


@pytest.mark.parametrize("name", ["DB_PASSWORD", "dbPassword", "api_token", "CLIENT_SECRET"])
def test_a_credential_name_with_a_value_is_located_at_the_variable(tmp_path: Path, name: str) -> None:
    root = project(tmp_path, {K8S: with_env({"name": "A", "value": "x"}, {"name": name, "value": "hunter2"})})
    found = check(RULE, root)
    assert where(found) == [("Deployment/web", "spec.template.spec.containers[0].env[1]",
                             f"env {name} looks like a credential but is not from valueFrom.secretKeyRef")]
    assert found[0].line == line_of(root, K8S, f"name: {name}")


def test_secret_material_under_any_name(tmp_path: Path) -> None:
    env = [{"name": "UPSTREAM", "value": "postgres://app:pw@db:5432/x"}, {"name": "GH", "value": TOKEN}]
    assert [h.message for h in run(RULE, tmp_path, {K8S: with_env(*env, kind="CronJob")})] == [
        "env UPSTREAM holds what looks like a password in a URL; take it from valueFrom.secretKeyRef",
        "env GH holds what looks like a GitHub token; take it from valueFrom.secretKeyRef"]


def test_name_pattern_replaces_the_name_test_but_not_the_material_test(tmp_path: Path) -> None:
    env = [{"name": "DB_PASSWORD", "value": "x"}, {"name": "ACME_KEYRING", "value": "x"},
           {"name": "GH", "value": TOKEN}]
    found = run(RULE, tmp_path, {K8S: with_env(*env)}, name_pattern="^acme_")
    assert [h.path.rsplit(".", 1)[1] for h in found] == ["env[1]", "env[2]"]
    assert found[0].message == "env ACME_KEYRING looks like a credential but is not from valueFrom.secretKeyRef"
