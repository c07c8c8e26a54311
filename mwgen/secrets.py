"""Refuse literal secrets in values: values hold references, never secret material.

One detector, used by ``mwgen validate`` on values and by lint on rendered env vars.
Two signals, either is enough:

- a *name* that says it holds a secret (``password``, ``dbPassword``, ``DB_PASS``,
  ``PWD``, ``JWT_SECRET``, ``api_key``, ``githubToken``, ``CREDENTIALS``...) set to a
  literal string. Names ending in a reference word (``secretName``, ``db_secret_ref``,
  ``password_arn``, ``token_ttl``) point at a secret or describe one and are fine;
- a *value* (or a mapping key) that is secret material whatever its name: a PEM
  private key, AWS access key ids and secret access keys, GitHub, Slack, Stripe and
  Google API tokens, a Slack webhook, a JSON Web Token, a password inside a URL.

A value that is a reference (``vault:…``, ``arn:aws:secretsmanager:…``, ``ref+…``,
``${…}``) is never secret.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

from mwgen.errors import Problem, format_path
from mwgen.values import MergedValues

RULE = "literal-secret"

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
#: A name holding one of these words holds a secret...
_SECRET_WORDS = frozenset({"password", "passwd", "pwd", "passphrase", "secret", "token",
                           "credential", "credentials", "creds", "apikey", "privatekey",
                           "secretkey", "accesskey", "clientsecret", "webhook"})
#: ...and so does one holding these pairs of words (``api_key``, ``privateKey``)...
_SECRET_PAIRS = frozenset({("api", "key"), ("private", "key"), ("secret", "key"),
                           ("access", "key"), ("client", "secret"), ("signing", "key"),
                           ("encryption", "key"), ("master", "key"), ("auth", "key")})
#: ...unless its last word says it refers to or describes the secret.
_REFERENCE_WORDS = frozenset({"ref", "refs", "reference", "name", "names", "arn", "id", "ids",
                              "path", "file", "env", "source", "store", "provider", "url",
                              "uri", "endpoint", "header", "type", "ttl", "length", "expiry",
                              "expiration", "rotation", "enabled", "version", "mount", "policy",
                              "key", "keys", "field", "prefix", "format", "manager", "selector"})
_SECRET_PLURALS = frozenset({"secrets", "credentials", "tokens", "passwords"})

#: Values that point at a secret instead of holding it.
_REFERENCE = re.compile(
    r"^(arn:aws[\w-]*:(secretsmanager|ssm|kms):|ref\+|vault:|secretref:|sops:|"
    r"awssecretsmanager:|gcpsm:|azurekv:|\$\{|\$\(|\{\{)",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(r"^(\$\{.*\}|\$\(.*\)|\{\{.*\}\}|\*+|<[^>]*>|%s)$")
_URL_PASSWORD = re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@]*:([^/\s@]+)@", re.IGNORECASE)
_AWS_SECRET_KEY = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
_AWS_KEY_ID = re.compile(r"\b(AKIA|ASIA|ABIA|ACCA)([A-Z2-7]{16})\b")

_SECRET_VALUE: Sequence[tuple[re.Pattern[str], str]] = (
    (re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY( BLOCK)?-----"), "a private key"),
    (re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}"), "a GitHub token"),
    (re.compile(r"\bgithub_pat_[A-Za-z0-9_]{22,}"), "a GitHub token"),
    (re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}"), "a GitLab token"),
    (re.compile(r"\bxox[abprse]-[A-Za-z0-9-]{10,}"), "a Slack token"),
    (re.compile(r"https://hooks\.slack\.com/(services|workflows)/[A-Za-z0-9/_-]{20,}"),
     "a Slack webhook URL"),
    (re.compile(r"\b[sr]k_(live|test)_[A-Za-z0-9]{16,}"), "a Stripe key"),
    (re.compile(r"\bAIza[0-9A-Za-z_-]{35}"), "a Google API key"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\."), "a JSON Web Token"),
    (re.compile(r"\bnpm_[A-Za-z0-9]{36}\b"), "an npm token"),
)


def words(name: str) -> list[str]:
    """``dbPassword`` -> ``['db', 'password']``; ``DB_PASSWORD_1`` -> ``['db', 'password', '1']``."""
    return [w.lower() for w in _WORD.findall(name)]


@lru_cache(maxsize=65536)  # values repeat in every target: each name is judged once
def is_secret_name(name: str, *, in_list: bool = False) -> bool:
    """Whether a key or variable name says that its value is a secret.

    ``in_list``: the name is that of a list (``secrets: [db-url]``): a plural names
    a collection of secret *names*, not secrets.
    """
    parts = words(name)
    if not parts:
        return False
    if tuple(parts[-2:]) in _SECRET_PAIRS:  # secret_key, apiKey (before "key" is a reference)
        return True
    if parts[-1] in _REFERENCE_WORDS:
        return False
    if in_list and parts[-1] in _SECRET_PLURALS:
        return False
    if parts[-1] == "pass":  # DB_PASS, dbPass; not "pass_through"
        return True
    joined = ["".join(parts[i:i + 2]) for i in range(len(parts))]
    return (any(p in _SECRET_WORDS for p in parts + joined)
            or any(pair in _SECRET_PAIRS for pair in zip(parts, parts[1:])))


def is_reference(value: str) -> bool:
    """Whether ``value`` points at a secret (Secrets Manager ARN, vault:, ${VAR}...)."""
    return bool(_REFERENCE.match(value.strip()))


@lru_cache(maxsize=65536)  # values repeat in every target: each text is scanned once
def secret_material(text: str) -> str:
    """What secret material ``text`` holds (``'a GitHub token'``), or ``''``."""
    for pattern, what in _SECRET_VALUE:
        if pattern.search(text):
            return what
    for match in _AWS_KEY_ID.finditer(text):
        if _random_looking(match.group(2)):  # not ASIAPACIFICSOUTHEAST
            return "an AWS access key id"
    for match in _AWS_SECRET_KEY.finditer(text):
        token = match.group(0)
        if (any(c.islower() for c in token) and any(c.isupper() for c in token)
                and any(c.isdigit() for c in token)):
            return "an AWS secret access key"
    for match in _URL_PASSWORD.finditer(text):
        if not _PLACEHOLDER.match(match.group(1)):
            return "a password in a URL"
    return ""


def _random_looking(body: str) -> bool:
    """Key ids are random base32: digits, or few vowels; words (``PACIFICSOUTHEAST``,
    7 vowels in 16) are not. Random letters hold about 5 vowels in 26."""
    vowels = sum(c in "AEIOU" for c in body)
    return any(c.isdigit() for c in body) or vowels / len(body) < 0.3


def why_secret(path: tuple[object, ...], value: str) -> str:
    """Why the leaf ``path: value`` holds a literal secret, or ``''``."""
    material = secret_material(value)
    if material:
        return f"looks like {material}"
    key_at = max((i for i, p in enumerate(path) if isinstance(p, str)), default=-1)
    if key_at < 0:
        return ""
    key = str(path[key_at])
    in_list = key_at < len(path) - 1
    if is_secret_name(key, in_list=in_list) and not is_reference(value) and value.strip():
        return f"literal value for '{key}'"
    return ""


def find_literal_secrets(merged: MergedValues, target: str) -> Iterator[Problem]:
    """Problems for every leaf (and mapping key) of ``merged`` that holds a literal secret."""
    seen_keys: set[tuple[object, ...]] = set()
    for path, value, origin in merged.leaves():
        for i, part in enumerate(path):
            if isinstance(part, str) and path[:i + 1] not in seen_keys:
                seen_keys.add(path[:i + 1])
                material = secret_material(part)
                if material:
                    at = merged.origin(path[:i + 1])
                    yield _problem(at.file, at.line, at.column, path[:i + 1],
                                   f"a mapping key looks like {material}", target)
        if isinstance(value, str):
            reason = why_secret(path, value)
            if reason:
                yield _problem(origin.file, origin.line, origin.column, path, reason, target)


def _problem(file: str, line: int, column: int, path: tuple[object, ...], reason: str,
             target: str) -> Problem:
    return Problem(file=file, line=line, column=column, path=format_path(path), rule=RULE,
                   message=f"{reason}: values hold references to secrets, never the secret "
                           "itself (use secretKeyRef / Secrets Manager)",
                   targets=(target,))
