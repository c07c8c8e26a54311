"""Refuse literal secrets in values: values hold references, never secret material.

Two signals, either is enough: a key whose name says it holds a secret (``password``,
``JWT_SECRET``, ``api_key``...) set to a literal string that is not a reference, or a
value that *is* secret material whatever its key (a PEM private key, an AWS access
key id, a GitHub or Slack token).
"""

from __future__ import annotations

import re
from typing import Iterator

from mwgen.errors import Problem, format_path
from mwgen.values import MergedValues

RULE = "literal-secret"

_SECRET_KEY = re.compile(
    r"(^|[_\-.])(password|passwd|passphrase|secret|token|private[_\-]?key|api[_\-]?key|"
    r"access[_\-]?key|secret[_\-]?key|client[_\-]?secret)$",
    re.IGNORECASE,
)
#: Values that point at a secret instead of holding it.
_REFERENCE = re.compile(
    r"^(arn:aws[\w-]*:(secretsmanager|ssm|kms):|ref\+|vault:|secretref:|sops:|"
    r"awssecretsmanager:|\$\{|\{\{)",
    re.IGNORECASE,
)
_SECRET_VALUE = [
    (re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"), "a private key"),
    (re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"), "an AWS access key id"),
    (re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}\b"), "a GitHub token"),
    (re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}\b"), "a Slack token"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\."), "a JSON Web Token"),
]


def find_literal_secrets(merged: MergedValues, target: str) -> Iterator[Problem]:
    """Problems for every leaf of ``merged`` that holds a literal secret."""
    for path, value, origin in merged.leaves():
        if not isinstance(value, str) or not value.strip():
            continue
        reason = _why_secret(path, value)
        if reason:
            yield Problem(file=origin.file, line=origin.line, column=origin.column,
                          path=format_path(path), rule=RULE,
                          message=f"{reason}: values hold references to secrets, never the "
                                  "secret itself (use secretKeyRef / Secrets Manager)",
                          targets=(target,))


def _why_secret(path: tuple[object, ...], value: str) -> str:
    for pattern, what in _SECRET_VALUE:
        if pattern.search(value):
            return f"looks like {what}"
    key = next((p for p in reversed(path) if isinstance(p, str)), "")
    if _SECRET_KEY.search(key) and not _REFERENCE.match(value):
        return f"literal value for '{key}'"
    return ""
