"""mwgen.secrets: one detector, a table of positives and negatives, and the CLI path."""

from __future__ import annotations

from pathlib import Path

import pytest

from mwgen.secrets import is_secret_name, secret_material, why_secret
from tests.helpers import FIXTURES, copy_project, mwgen

# Built at run time so that no literal token sits in the repository for scanners to flag.
GITHUB_PAT = "github_pat_" + "11ABCDEFG0" * 3 + "_abcdefghij"
GHP = "ghp_" + "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5"
STRIPE = "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc"
GOOGLE = "AIza" + "SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY"
SLACK_HOOK = "https://hooks.slack.com/services/" + "T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY"
AWS_KEY_ID = "AKIA" + "IOSFODNN7EXAMPLE"
PEM = "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIE..."
JWT = "eyJhbGciOiJIUzI1NiJ9." + "eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc"


@pytest.mark.parametrize("name", [
    "password", "dbPassword", "adminPassword", "githubToken", "DB_PASSWORD_1", "PASSWORD_PROD",
    "DB_PASS", "dbPass", "PWD", "CREDENTIALS", "JWT_SECRET", "api_key", "apiKey", "secret_key",
    "secretKey", "privateKey", "client_secret", "passphrase", "auth-token", "x.password",
])
def test_secret_names(name: str) -> None:
    assert is_secret_name(name), name


@pytest.mark.parametrize("name", [
    "secretName", "db_secret_ref", "password_secret_ref", "passwordRef", "tokenSecretName",
    "password_arn", "token_ttl", "password_min_length", "secretKeyRef", "password_key",
    "AWS_ACCESS_KEY_ID", "key", "name", "bypass", "pass_through", "tokenEndpoint", "keyboard",
    "monkey", "secret_store", "passwordPolicy",
])
def test_names_that_are_not_secrets(name: str) -> None:
    assert not is_secret_name(name), name


def test_a_plural_naming_a_list_of_secret_names_is_fine() -> None:
    assert not is_secret_name("secrets", in_list=True)
    assert is_secret_name("CREDENTIALS") and not is_secret_name("credentials", in_list=True)


@pytest.mark.parametrize("value, what", [
    (GITHUB_PAT, "a GitHub token"), (GHP, "a GitHub token"), (STRIPE, "a Stripe key"),
    (GOOGLE, "a Google API key"), (SLACK_HOOK, "a Slack webhook URL"),
    (AWS_SECRET, "an AWS secret access key"), (AWS_KEY_ID, "an AWS access key id"),
    ("postgres://admin:pw@db.internal:5432/app", "a password in a URL"),
    ("redis://:s3cr3t@cache:6379", "a password in a URL"),
    (PEM, "a private key"), (JWT, "a JSON Web Token"),
    ("xoxb-" + "1234567890-abcdefghij", "a Slack token"),
])
def test_secret_material(value: str, what: str) -> None:
    assert secret_material(value) == what


@pytest.mark.parametrize("value", [
    "ASIAPACIFICSOUTHEAST", "AKIAEXAMPLEWITHOUTDIGITS",
    "0123456789abcdef0123456789abcdef01234567",     # a git commit, 40 hex characters
    "sha256:" + "ab" * 32, "postgres://db.internal:5432/app",
    "postgres://admin:${DB_PASSWORD}@db:5432/app", "https://user@example.org/x",
    "https://github.com/mindweave/platform.git", "arn:aws:secretsmanager:us-east-1:1:secret:x",
    "vault:secret/data/db#password", "mindweave/api-gateway:2.4.1", "dedicated=application",
])
def test_values_that_are_not_secret_material(value: str) -> None:
    assert secret_material(value) == ""


@pytest.mark.parametrize("path, value", [
    (("services", "api", "env", "dbPassword"), "hunter2"),
    (("services", "api", "env", "DB_PASS"), "hunter2"),
    (("aws", "neutral"), AWS_SECRET),
    (("db", "url"), "postgres://admin:pw@host/db"),
])
def test_why_secret_positive(path: tuple[object, ...], value: str) -> None:
    assert why_secret(path, value)


@pytest.mark.parametrize("path, value", [
    (("db", "password"), "vault:secret/db#password"),
    (("db", "password"), "arn:aws:secretsmanager:us-east-1:123:secret:db"),
    (("db", "secretName"), "db-credentials"),
    (("db", "password_secret_ref"), "db-credentials"),
    (("security", "secrets", 0), "database-url"),
    (("services", "api", "secrets", 0, "env"), "JWT_SECRET"),
    (("db", "password"), ""),
])
def test_why_secret_negative(path: tuple[object, ...], value: str) -> None:
    assert why_secret(path, value) == ""


def test_validate_refuses_camel_case_keys_and_tokens_used_as_keys(tmp_path: Path) -> None:
    root = copy_project(FIXTURES / "mini", tmp_path / "mini")
    (root / "values/regions/r1.yaml").write_text(
        "region:\n  name: r1\nnetwork:\n  dbPassword: hunter2\n  " + GHP + ": x\n")
    result = mwgen("--project", str(root), "validate")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("values/regions/r1.yaml:4:3: network.dbPassword: [literal-secret] "
                               "literal value for 'dbPassword'")
    assert lines[1].startswith(f"values/regions/r1.yaml:5:3: network.{GHP}: [literal-secret] "
                               "a mapping key looks like a GitHub token")
